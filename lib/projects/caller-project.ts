import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { AppError, notFound, unauthenticated } from "../errors";
import { projectAccess } from "./access";

// The project an API call means when it names none ("user secrets"): a token's own project, a
// user's Personal project. A named one is reached with the same rules as everywhere else: a project
// the caller cannot see is NOT_FOUND. Permissions are the business of the service called next.
export async function callerProject(actor: Actor | null, slug?: string | null): Promise<{ id: string; slug: string }> {
  if (!actor) throw unauthenticated();
  if (slug) {
    const { project } = await projectAccess(actor, { slug });
    return { id: project.id, slug: project.slug };
  }
  if (actor.kind === "token") {
    const { project } = await projectAccess(actor, { id: actor.projectId });
    return { id: project.id, slug: project.slug };
  }
  if (actor.kind === "operator") throw new AppError("BAD_USER_INPUT", "Name the project");
  const membership = await db().membership.findFirst({
    where: { userId: actor.userId, project: { personal: true } },
    select: { project: { select: { id: true, slug: true } } },
  });
  if (!membership) throw notFound("Personal project");
  return membership.project;
}
