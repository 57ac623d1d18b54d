import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { notFound, unauthenticated } from "../errors";
import { accessToRowProject } from "../projects/access";
import { isUuid } from "../validation";
import { secretCoreSelect } from "./dto";

// The user a change is attributed to in createdBy/updatedBy; tokens and the operator show in the
// audit trail instead.
export const actorUserId = (actor: Actor | null) => (actor?.kind === "user" ? actor.userId : null);

// P2002 from Prisma's own queries; a raw statement's failure (P2010) carries PostgreSQL's 23505.
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } };
  // P2002 from Prisma's model queries, 23505 straight from node-postgres (sql``).
  if (e?.code === "P2002" || e?.code === "23505") return true;
  const cause = e?.meta?.driverAdapterError?.cause;
  return e?.code === "P2010" && (e.meta?.code === "23505" || cause?.kind === "UniqueConstraintViolation" || cause?.originalCode === "23505");
}

// Loads a secret by id for an actor. A malformed id, a missing secret and a secret in a project the
// actor cannot see all answer the same NOT_FOUND.
export async function loadSecretForActor(actor: Actor | null, id: string) {
  if (!actor) throw unauthenticated();
  const secret = isUuid(id) ? await db().secret.findUnique({ where: { id }, select: secretCoreSelect }) : null;
  if (!secret) throw notFound("Secret");
  return { secret, access: await accessToRowProject(actor, secret.projectId, "Secret") };
}

// For APIs that address a secret by id within a chosen project (REST's `?project=`): the secret,
// when the actor can see it and it belongs to that project; NOT_FOUND otherwise. Permissions are
// the business of the use case called next.
export async function loadSecretInProject(actor: Actor | null, id: string, projectId: string) {
  const { secret } = await loadSecretForActor(actor, id);
  if (secret.projectId !== projectId) throw notFound("Secret");
  return secret;
}
