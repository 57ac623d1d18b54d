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

const RANK: Record<RoleName, number> = { VIEWER: 0, EDITOR: 1, ADMIN: 2 };

// A clone must never give anyone a way to a value they did not have in the source. Whoever
// administers a project can mint a token that resolves its values, so a member may clone only into
// projects where their role is not above their role in the source: an editor into another project
// where she is an editor (never into one she administers, her Personal project included), an admin
// of the source into any project she manages. Tokens (one project) and the operator have no role.
export const cloneKeepsValuesInReach = (sourceRole: RoleName | null, targetRole: RoleName | null) =>
  sourceRole === null || targetRole === null || RANK[targetRole] <= RANK[sourceRole];

export const isPermission = (s: string): s is Permission => (PERMISSIONS as readonly string[]).includes(s);

export interface ProjectAccess {
  project: { id: string; slug: string; name: string; personal: boolean; envAllowlist: string[] };
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
