import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { unauthenticated } from "../errors";
import { projectAccess } from "../projects/access";
import { availableStorages, defaultStorage } from "../storage";

// Where values can live on this vault (for the dashboard's storage selector and API clients), for
// signed-in callers only. ENV is available only in a project the operator has allowed server
// variables for, so it is offered only when a project is named.
export async function storageLocations(actor: Actor | null, projectSlug?: string | null) {
  if (!actor) throw unauthenticated();
  let project: { envAllowlist: string[] } | undefined;
  if (projectSlug) {
    const access = await projectAccess(actor, { slug: projectSlug });
    assertCan(access, "secrets:read");
    project = access.project;
  }
  const available = availableStorages(project);
  const fallback = defaultStorage();
  return (["DATABASE", "SSM", "ENV"] as const).map((storage) => ({ storage, available: available.includes(storage), default: storage === fallback }));
}
