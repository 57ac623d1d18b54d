import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { projectAccess } from "../projects/access";

export async function manageAccess(actor: Actor | null, where: { slug: string } | { id: string }) {
  const access = await projectAccess(actor, where);
  assertCan(access, "secrets:manage");
  return access;
}
