import "server-only";
import type { Actor } from "../auth/actor";
import { grantableScopes, PERMISSIONS, ROLE_PERMISSIONS, type Permission, type ProjectAccess } from "../authz";
import { db } from "../db/client";
import { AppError, notFound, unauthenticated } from "../errors";

const projectFields = { id: true, slug: true, name: true, personal: true, envAllowlist: true } as const;

// Resolves what the actor may do in a project. A project the actor cannot see answers exactly like
// one that does not exist (NOT_FOUND); FORBIDDEN is left to assertCan for members lacking a permission.
export async function projectAccess(actor: Actor | null, where: { slug: string } | { id: string }): Promise<ProjectAccess> {
  if (!actor) throw unauthenticated();
  if (actor.kind === "user") {
    const membership = await db().membership.findFirst({
      where: { userId: actor.userId, project: where },
      select: { role: true, project: { select: projectFields } },
    });
    if (!membership) throw notFound("Project");
    return { project: membership.project, role: membership.role, permissions: new Set(ROLE_PERMISSIONS[membership.role]) };
  }
  if (actor.kind === "operator") {
    const project = await db().project.findFirst({ where, select: projectFields });
    if (!project) throw notFound("Project");
    return { project, role: null, permissions: new Set(PERMISSIONS) };
  }
  // A token acts only within its own project (read with the token): every other project is
  // invisible to it.
  const { project } = actor;
  if ("id" in where ? where.id !== project.id : where.slug !== project.slug) throw notFound("Project");
  return { project, role: null, permissions: new Set(tokenPermissions(actor)) };
}

// A token holds its scopes only while its creator still holds them: demoting or removing the
// creator shrinks the token too. Tokens minted by the local CLI (no creator) keep their scopes.
function tokenPermissions(actor: Extract<Actor, { kind: "token" }>): Permission[] {
  if (!actor.createdById) return [...actor.scopes];
  if (!actor.creatorRole) return [];
  const grantable = grantableScopes(actor.creatorRole);
  return actor.scopes.filter((s) => grantable.includes(s));
}

// Access to the project of a row found by id (a secret, consumer, token): a row in a project the
// actor cannot see answers NOT_FOUND for the row itself, exactly like a row that does not exist.
export async function accessToRowProject(actor: Actor | null, projectId: string, what: string): Promise<ProjectAccess> {
  try {
    return await projectAccess(actor, { id: projectId });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") throw notFound(what);
    throw error;
  }
}

export async function listProjectsFor(actor: Actor | null) {
  if (!actor) throw unauthenticated();
  if (actor.kind === "token") return [{ ...actor.project, role: null }];
  if (actor.kind === "operator") {
    return (await db().project.findMany({ select: projectFields, orderBy: { name: "asc" } })).map((p) => ({ ...p, role: null }));
  }
  const rows = await db().membership.findMany({
    where: { userId: actor.userId },
    select: { role: true, project: { select: projectFields } },
    orderBy: [{ project: { personal: "desc" } }, { project: { name: "asc" } }],
  });
  return rows.map((r) => ({ ...r.project, role: r.role }));
}
