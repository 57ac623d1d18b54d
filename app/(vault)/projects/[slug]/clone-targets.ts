import "server-only";
import type { ProjectDto } from "@/lib/projects/get-project";

// Where the caller may clone this project's secrets: projects where they can manage secrets and
// hold no permission they lack here (the server's rule, cloneKeepsValuesInReach, in permissions:
// values never land where the caller could read or hand them out more freely). By the caller's
// viewerPermissions, not role names.
export const cloneTargets = (source: ProjectDto, projects: ProjectDto[]) =>
  projects
    .filter((p) => p.slug !== source.slug && p.viewerPermissions.includes("secrets:manage") && p.viewerPermissions.every((x) => source.viewerPermissions.includes(x)))
    .map((p) => ({ slug: p.slug, name: p.name }));
