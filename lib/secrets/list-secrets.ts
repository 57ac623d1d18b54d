import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError } from "../errors";
import { accessToRowProject, projectAccess } from "../projects/access";
import { isUuid, parseInput } from "../validation";
import { secretSelect, toSecretDto, type SecretDto } from "./dto";

export const PAGE_DEFAULT = 50;
// Metadata only, so a CLI or CI job lists a large project in a few requests; anything GraphQL nests
// under each secret still counts against its cost limit (graphql/limits.ts).
export const PAGE_MAX = 1000;

const input = z.object({
  projectId: z.string(),
  first: z.number().int().min(1, "first must be at least 1").max(PAGE_MAX, `first must be at most ${PAGE_MAX}`).nullish(),
  after: z.string().max(1024).nullish(),
  search: z.string().max(256, "Search must be at most 256 characters").nullish(),
});

// Cursors are opaque to clients: the last name of the page, base64url-encoded.
export const encodeCursor = (name: string) => Buffer.from(name, "utf8").toString("base64url");
function decodeCursor(cursor: string) {
  const name = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new AppError("BAD_USER_INPUT", "Invalid cursor", { field: "after" });
  return name;
}

// Prisma passes startsWith/contains to LIKE as they are: `_` and `%` would match any character.
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// Name prefix (case-insensitive input, names are upper case) or every description word, matched
// literally.
export function searchWhere(search: string | null | undefined): Prisma.SecretWhereInput {
  const term = search?.trim();
  if (!term) return {};
  const words = term.split(/\s+/).slice(0, 8);
  return {
    OR: [
      ...(words.length === 1 ? [{ name: { startsWith: literal(term.toUpperCase()) } }] : []),
      { AND: words.map((w) => ({ description: { contains: literal(w), mode: "insensitive" as const } })) },
    ],
  };
}

// Keyset pagination over the (projectId, name) unique index, stable order by name. Never reads a value.
export async function listSecrets(actor: Actor | null, raw: z.input<typeof input>) {
  const data = parseInput(input, raw);
  const access = await projectAccess(actor, { id: data.projectId });
  assertCan(access, "secrets:read");
  const first = data.first ?? PAGE_DEFAULT;
  const rows = await db().secret.findMany({
    where: {
      projectId: access.project.id,
      ...(data.after ? { name: { gt: decodeCursor(data.after) } } : {}),
      ...searchWhere(data.search),
    },
    orderBy: { name: "asc" },
    take: first + 1,
    select: secretSelect,
  });
  const nodes: SecretDto[] = rows.slice(0, first).map(toSecretDto);
  return {
    nodes,
    hasNextPage: rows.length > first,
    endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].name) : null,
  };
}

export async function countSecrets(actor: Actor | null, projectId: string, search?: string | null) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  return db().secret.count({ where: { projectId: access.project.id, ...searchWhere(search) } });
}

export async function getSecretByName(actor: Actor | null, projectId: string, name: string): Promise<SecretDto | null> {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const row = await db().secret.findUnique({ where: { projectId_name: { projectId: access.project.id, name } }, select: secretSelect });
  return row ? toSecretDto(row) : null;
}

// By id, within the given project only: another project's secret (or a malformed id) is null, like
// a missing one.
export async function getSecretById(actor: Actor | null, projectId: string, id: string): Promise<SecretDto | null> {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  if (!isUuid(id)) return null;
  const row = await db().secret.findFirst({ where: { id, projectId: access.project.id }, select: secretSelect });
  return row ? toSecretDto(row) : null;
}

// Versions are listed with who made them and when, never with their values. Newest first; `page`
// (GraphQL) takes at most `first` older than version `after`, none (dashboard) takes them all.
export async function listSecretVersions(actor: Actor | null, secretId: string, page?: { first: number; after?: number | null }) {
  const secret = isUuid(secretId) ? await db().secret.findUnique({ where: { id: secretId }, select: { projectId: true } }) : null;
  if (!secret) return [];
  assertCan(await accessToRowProject(actor, secret.projectId, "Secret"), "secrets:read");
  return db().secretVersion.findMany({
    where: { secretId, ...(page?.after != null ? { version: { lt: page.after } } : {}) },
    orderBy: { version: "desc" },
    take: page ? Math.max(1, Math.min(page.first, PAGE_MAX)) : undefined,
    select: { version: true, storage: true, createdAt: true, createdBy: { select: { id: true, email: true } } },
  });
}
