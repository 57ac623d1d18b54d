import { forbidden } from "../errors";

// A flat permission tuple and a role table (the dub.co shape).
export const PERMISSIONS = [
  "secrets:read",
  "secrets:manage",
  "secrets:inject",
  "members:manage",
  "tokens:manage",
  "audit:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["VIEWER", "EDITOR", "ADMIN"] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  VIEWER: ["secrets:read"],
  EDITOR: ["secrets:read", "secrets:manage"],
  ADMIN: ["secrets:read", "secrets:manage", "members:manage", "tokens:manage", "audit:read"],
};

// What a member of this role may put into an API token they create. Runtime use of values
// (secrets:inject) is held by no role: only an admin can mint a token that carries it.
export function grantableScopes(role: RoleName): readonly Permission[] {
  return role === "ADMIN" ? [...ROLE_PERMISSIONS.ADMIN, "secrets:inject"] : ROLE_PERMISSIONS[role];
}

export const isPermission = (s: string): s is Permission => (PERMISSIONS as readonly string[]).includes(s);

export interface ProjectAccess {
  project: { id: string; slug: string; name: string; personal: boolean };
  // The member's role; null for API tokens and the operator.
  role: RoleName | null;
  permissions: ReadonlySet<Permission>;
}

export function can(access: ProjectAccess, permission: Permission): boolean {
  return access.permissions.has(permission);
}

export function assertCan(access: ProjectAccess, permission: Permission): void {
  if (!can(access, permission)) throw forbidden(permission);
}
