import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { db, sql } from "../db/client";
import type { Permission, ProjectAccess, RoleName } from "../authz";

// Who is calling. Every service takes one; null means nobody signed in. The operator is the local
// CLI next to the database (`npm run vault -- …`), which holds every permission.
export type Actor =
  | { kind: "operator"; client: "cli" }
  | { kind: "user"; userId: string; email: string; isAdmin: boolean; client: string }
  | {
      kind: "token";
      tokenId: string;
      tokenName: string;
      projectId: string;
      scopes: readonly Permission[];
      createdById: string | null;
      // Read in the same statement as the token, for this request: its project, and its creator's
      // role there (null when it has no creator or the creator is no longer a member).
      project: ProjectAccess["project"];
      creatorRole: RoleName | null;
      client: string;
    };

export const OPERATOR: Actor = { kind: "operator", client: "cli" };

export const actorLabel = (actor: Actor) =>
  actor.kind === "user" ? actor.email : actor.kind === "token" ? `token:${actor.tokenName}` : "operator (cli)";

export async function userActor(userId: string, client = "web"): Promise<Actor | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, isAdmin: true } });
  return user ? { kind: "user", userId: user.id, email: user.email, isAdmin: user.isAdmin, client } : null;
}

// API tokens look like vlt_<token id, 32 hex>_<secret, base64url>. Only SHA-256 of the secret is
// stored; it is compared in constant time after the row is found by id.
const TOKEN_FORMAT = /^vlt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export function hashTokenSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

export function formatToken(id: string, secret: string) {
  return `vlt_${id.replace(/-/g, "")}_${secret}`;
}

const uuidFromHex = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

interface TokenRow {
  id: string;
  name: string;
  secretHash: Uint8Array;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdById: string | null;
  projectId: string;
  slug: string;
  projectName: string;
  personal: boolean;
  envAllowlist: string[];
  creatorRole: RoleName | null;
}

// Every API request starts here: the token, its project and its creator's membership in one round
// trip (they were three).
export async function tokenActor(bearer: string, client = "api"): Promise<Actor | null> {
  const match = TOKEN_FORMAT.exec(bearer.trim());
  if (!match) return null;
  const [row] = await sql<TokenRow>`
    SELECT t.id, t.name, t."secretHash", t.scopes, t."expiresAt", t."revokedAt", t."lastUsedAt", t."createdById",
           p.id AS "projectId", p.slug, p.name AS "projectName", p.personal, p."envAllowlist", m.role::text AS "creatorRole"
    FROM "ApiToken" t
    JOIN "Project" p ON p.id = t."projectId"
    LEFT JOIN "Membership" m ON m."projectId" = t."projectId" AND m."userId" = t."createdById"
    WHERE t.id = ${uuidFromHex(match[1])}::uuid`;
  if (!row) return null;
  const presented = hashTokenSecret(match[2]);
  const stored = Buffer.from(row.secretHash);
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return null;
  if (row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await sql`UPDATE "ApiToken" SET "lastUsedAt" = ${new Date()} WHERE id = ${row.id}::uuid`;
  }
  return {
    kind: "token",
    tokenId: row.id,
    tokenName: row.name,
    projectId: row.projectId,
    scopes: row.scopes as Permission[],
    createdById: row.createdById,
    project: { id: row.projectId, slug: row.slug, name: row.projectName, personal: row.personal, envAllowlist: row.envAllowlist },
    creatorRole: row.creatorRole,
    client,
  };
}
