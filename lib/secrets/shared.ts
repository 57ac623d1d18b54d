import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { AppError, notFound } from "../errors";
import { accessToRowProject } from "../projects/access";

// The user a change is attributed to in createdBy/updatedBy; tokens and the operator show in the
// audit trail instead.
export const actorUserId = (actor: Actor | null) => (actor?.kind === "user" ? actor.userId : null);

export const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === "P2002";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const currentSelect = {
  id: true,
  projectId: true,
  name: true,
  description: true,
  type: true,
  metadata: true,
  storage: true,
  referencePath: true,
  currentVersion: true,
} as const;

// Loads a secret by id for an actor. A malformed id, a missing secret and a secret in a project the
// actor cannot see all answer the same NOT_FOUND.
export async function loadSecretForActor(actor: Actor | null, id: string) {
  if (!actor) throw new AppError("UNAUTHENTICATED", "Sign in or send a valid API token");
  const secret = UUID.test(id) ? await db().secret.findUnique({ where: { id }, select: currentSelect }) : null;
  if (!secret) throw notFound("Secret");
  return { secret, access: await accessToRowProject(actor, secret.projectId, "Secret") };
}
