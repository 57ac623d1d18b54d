import "server-only";
import type { Actor } from "../auth/actor";
import type { RoleName } from "../authz";
import { AppError } from "../errors";
import { listProjectsFor, projectAccess } from "./access";

export interface ProjectDto {
  id: string;
  slug: string;
  name: string;
  personal: boolean;
  viewerRole: RoleName | null;
}

// null when the project does not exist or the actor is not a member: the two look the same.
export async function getProject(actor: Actor | null, slug: string): Promise<ProjectDto | null> {
  try {
    const access = await projectAccess(actor, { slug });
    return { ...access.project, viewerRole: access.role };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export async function listProjects(actor: Actor | null): Promise<ProjectDto[]> {
  return (await listProjectsFor(actor)).map(({ role, ...p }) => ({ ...p, viewerRole: role }));
}

export async function viewerPermissions(actor: Actor | null, projectId: string): Promise<string[]> {
  return [...(await projectAccess(actor, { id: projectId })).permissions];
}
