import "server-only";
import type { Actor } from "../auth/actor";
import { ROLE_PERMISSIONS, type Permission, type ProjectAccess, type RoleName } from "../authz";
import { AppError } from "../errors";
import { listProjectsFor, projectAccess } from "./access";

export interface ProjectDto {
  id: string;
  slug: string;
  name: string;
  personal: boolean;
  // Server environment variables its ENV secrets may use (set by the operator).
  envAllowlist: string[];
  viewerRole: RoleName | null;
  // What the caller may do here, resolved with the project so pages and clients ask once.
  viewerPermissions: Permission[];
}

export const toProjectDto = (access: ProjectAccess): ProjectDto => ({
  ...access.project,
  viewerRole: access.role,
  viewerPermissions: [...access.permissions],
});

// null when the project does not exist or the actor is not a member: the two look the same.
export async function getProject(actor: Actor | null, slug: string): Promise<ProjectDto | null> {
  try {
    return toProjectDto(await projectAccess(actor, { slug }));
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export async function listProjects(actor: Actor | null): Promise<ProjectDto[]> {
  const projects = await listProjectsFor(actor);
  // A member's permissions follow from the role; a token's or the operator's need their access.
  return Promise.all(
    projects.map(async ({ role, ...project }) =>
      role ? { ...project, viewerRole: role, viewerPermissions: [...ROLE_PERMISSIONS[role]] } : toProjectDto(await projectAccess(actor, { id: project.id })),
    ),
  );
}
