import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { parseInput } from "../validation";
import { resolveSelection } from "./resolve-environment";

// Secrets chosen per run (by id or name), optionally on top of one or more consumers: the same
// rules, reads and audit as resolveEnvironment (resolveSelection). A pure choice is audited with
// the consumer "ad hoc" and the token's name.
export const resolveSecretsInput = z.object({
  ids: z.array(z.string().max(100), { error: "ids must be a list of secret ids" }).max(100, "At most 100 secret ids").nullish(),
  names: z.array(z.string().max(256), { error: "names must be a list of secret names" }).max(100, "At most 100 secret names").nullish(),
  consumers: z.array(z.string().max(100), { error: "consumers must be a list of consumer names" }).max(20, "At most 20 consumers").nullish(),
});

export type ResolveSecretsInput = z.input<typeof resolveSecretsInput>;

export async function resolveSecrets(actor: Actor | null, raw: ResolveSecretsInput) {
  const data = parseInput(resolveSecretsInput, raw);
  return resolveSelection(actor, { consumers: data.consumers ?? [], secretIds: data.ids ?? [], secretNames: data.names ?? [] });
}
