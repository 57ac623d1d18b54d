import { attachSecret } from "@/lib/consumers/attach-secret";
import { createConsumer } from "@/lib/consumers/create-consumer";
import { deleteConsumer } from "@/lib/consumers/delete-consumer";
import { detachSecret } from "@/lib/consumers/detach-secret";
import { getConsumerByName, listConsumers } from "@/lib/consumers/list-consumers";
import { resolveEnvironment } from "@/lib/consumers/resolve-environment";
import { resolveSecrets } from "@/lib/consumers/resolve-secrets";
import { secretConsumers } from "@/lib/consumers/secret-consumers";
import { unusedSecrets } from "@/lib/consumers/unused-secrets";
import { updateConsumer } from "@/lib/consumers/update-consumer";
import type { Resolvers } from "../generated/resolvers-types";
import { page } from "../paging";

export const consumerResolvers: Resolvers = {
  Project: {
    consumers: (project, args, { actor }) => listConsumers(actor, project.id, page(args)),
    consumer: (project, { name }, { actor }) => getConsumerByName(actor, project.id, name),
    unusedSecrets: (project, { days, ...args }, { actor }) => unusedSecrets(actor, project.id, days, page(args)),
  },
  Secret: {
    consumers: (secret, args, { actor }) => secretConsumers(actor, secret.id, page(args)),
  },
  Mutation: {
    createConsumer: (_p, { input }, { actor }) => createConsumer(actor, input),
    updateConsumer: (_p, { input }, { actor }) => updateConsumer(actor, input),
    deleteConsumer: (_p, { id }, { actor }) => deleteConsumer(actor, id),
    attachSecret: (_p, { input }, { actor }) => attachSecret(actor, input),
    detachSecret: (_p, { input }, { actor }) => detachSecret(actor, input),
    resolveEnvironment: (_p, { consumer }, { actor }) => resolveEnvironment(actor, consumer),
    resolveSecrets: (_p, args, { actor }) => resolveSecrets(actor, args),
  },
};
