import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { formatToken, hashTokenSecret, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan, grantableScopes, isPermission, type Permission, type ProjectAccess } from "../authz";
import { db } from "../db/client";
import { AppError, notFound } from "../errors";
import { accessToRowProject, projectAccess } from "../projects/access";
import { isUuid, parseInput } from "../validation";

const tokenSelect = {
  id: true,
  name: true,
  scopes: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  createdAt: true,
  createdBy: { select: { id: true, email: true } },
} as const;

const createInput = z.object({
  projectSlug: z.string().min(1, "Project is required"),
  name: z.string({ error: "Token name is required" }).trim().min(1, "Token name is required").max(100, "Token name must be at most 100 characters"),
  scopes: z
    .array(z.string())
    .min(1, "Choose at least one scope")
    .refine((s) => s.every(isPermission), "Unknown scope: use secrets:read, secrets:manage, secrets:inject, members:manage, tokens:manage or audit:read"),
  expiresAt: z.date().nullish(),
});

// What the creator may put into a token: a member's role (admins may add secrets:inject), or
// anything for the operator.
function creatorScopes(actor: Actor, access: ProjectAccess): readonly Permission[] {
  if (actor.kind === "user" && access.role) return grantableScopes(access.role);
  return [...access.permissions];
}

// The token is returned once, here; only the SHA-256 of its secret part is stored.
export async function createApiToken(actor: Actor | null, raw: z.input<typeof createInput>) {
  const data = parseInput(createInput, raw);
  const access = await projectAccess(actor, { slug: data.projectSlug });
  // A token never mints a token: a leaked token could otherwise outlive its own revocation or
  // expiry through children nobody knows about.
  if (actor?.kind === "token") throw new AppError("FORBIDDEN", "An API token cannot create API tokens: sign in to the dashboard or use the operator CLI");
  assertCan(access, "tokens:manage");
  const allowed = creatorScopes(actor!, access);
  const beyond = data.scopes.filter((s) => !allowed.includes(s as Permission));
  if (beyond.length) throw new AppError("FORBIDDEN", `You cannot grant scopes you do not hold: ${beyond.join(", ")}`);
  if (data.expiresAt && data.expiresAt <= new Date()) {
    throw new AppError("BAD_USER_INPUT", "The expiry must be in the future", { field: "expiresAt" });
  }
  const id = randomUUID();
  const secret = randomBytes(32).toString("base64url");
  const createdById = actor!.kind === "user" ? actor!.userId : null;
  const scopes = [...new Set(data.scopes)];
  const apiToken = await db().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { id, projectId: access.project.id, name: data.name, secretHash: new Uint8Array(hashTokenSecret(secret)), scopes, expiresAt: data.expiresAt ?? null, createdById },
      select: tokenSelect,
    });
    await recordAudit(tx, actor, { action: "token.create", projectId: access.project.id, details: { tokenId: id, name: data.name, scopes } });
    return row;
  });
  return { token: formatToken(id, secret), apiToken };
}

export async function revokeApiToken(actor: Actor | null, id: string) {
  const row = isUuid(id) ? await db().apiToken.findUnique({ where: { id }, select: { projectId: true, name: true } }) : null;
  if (!row) throw notFound("API token");
  assertCan(await accessToRowProject(actor, row.projectId, "API token"), "tokens:manage");
  return db().$transaction(async (tx) => {
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: tokenSelect });
    await recordAudit(tx, actor, { action: "token.revoke", projectId: row.projectId, details: { tokenId: id, name: row.name } });
    return updated;
  });
}

// Newest first; `page` (GraphQL) takes at most `first` after the token whose id is `after` (a token
// of this project, else BAD_USER_INPUT), none (dashboard) takes all.
export async function listApiTokens(actor: Actor | null, projectId: string, page?: { first: number; after?: string | null }) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "tokens:manage");
  const cursor = page?.after && isUuid(page.after) ? await db().apiToken.findFirst({ where: { id: page.after, projectId: access.project.id }, select: { id: true } }) : null;
  if (page?.after && !cursor) throw new AppError("BAD_USER_INPUT", "Invalid cursor", { field: "after" });
  return db().apiToken.findMany({
    where: { projectId: access.project.id },
    select: tokenSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page ? Math.max(1, Math.min(page.first, 200)) : undefined,
    ...(cursor ? { cursor, skip: 1 } : {}),
  });
}
