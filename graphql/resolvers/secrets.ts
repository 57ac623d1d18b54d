import { cloneSecret, cloneSecrets } from "@/lib/secrets/clone-secrets";
import { createSecret } from "@/lib/secrets/create-secret";
import { deleteSecret } from "@/lib/secrets/delete-secret";
import { countSecrets, encodeCursor, getSecretByName, listSecrets, listSecretVersions } from "@/lib/secrets/list-secrets";
import { listSecretPresets } from "@/lib/secrets/presets";
import { updateSecret } from "@/lib/secrets/update-secret";
import { storageLocations } from "@/lib/secrets/storage-locations";
import type { Resolvers } from "../generated/resolvers-types";
import { page } from "../paging";

export const secretResolvers: Resolvers = {
  Query: {
    secretPresets: (_p, _a, { actor }) => listSecretPresets(actor),
    storageLocations: (_, args, { actor }) => storageLocations(actor, args.projectSlug),
  },
  Project: {
    secrets: async (project, args, { actor }) => {
      const page = await listSecrets(actor, { projectId: project.id, first: args.first, after: args.after, search: args.search });
      return {
        edges: page.nodes.map((node) => ({ cursor: encodeCursor(node.name), node })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        // Counted only when a client asks for it.
        totalCount: () => countSecrets(actor, project.id, args.search),
      } as never;
    },
    secret: (project, { name }, { actor }) => getSecretByName(actor, project.id, name),
  },
  Secret: {
    versions: (secret, args, { actor }) => listSecretVersions(actor, secret.id, page(args)),
  },
  Mutation: {
    createSecret: (_p, { input }, { actor }) => createSecret(actor, input),
    updateSecret: (_p, { input }, { actor }) => updateSecret(actor, input),
    deleteSecret: (_p, { input }, { actor }) => deleteSecret(actor, input),
    cloneSecret: (_p, { input }, { actor }) => cloneSecret(actor, input),
    cloneSecrets: (_p, { input }, { actor }) => cloneSecrets(actor, input),
  },
};
