import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { secretSelect, toSecretDto, type SecretDto } from "./dto";
import { loadSecretForActor } from "./shared";

// One secret by id, without its value. A malformed id, a missing secret and another project's
// secret all answer the same NOT_FOUND.
export async function getSecret(actor: Actor | null, id: string): Promise<SecretDto> {
  const { secret, access } = await loadSecretForActor(actor, id);
  assertCan(access, "secrets:read");
  return toSecretDto(await db().secret.findUniqueOrThrow({ where: { id: secret.id }, select: secretSelect }));
}
