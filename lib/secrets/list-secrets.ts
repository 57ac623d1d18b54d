import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db, sql } from "../db/client";
import { fragment, type Fragment } from "../db/sql";
import { AppError } from "../errors";
import { accessToRowProject, projectAccess } from "../projects/access";
import { isUuid, parseInput } from "../validation";
import { secretSelect, toSecretDto, type SecretDto, type SecretRow } from "./dto";

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

// LIKE and ILIKE patterns match `_` and `%` as wildcards: the search's own are escaped.
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// What a search looks for, matched literally (case-insensitive input, names are upper case):
// - a key fragment, one word of key characters with a `_` or a digit (`db_`, `secret_0999`, `oauth2`):
//   the keys starting with it, through the (projectId, name) index, which is byte-ordered (COLLATE
//   "C"), so the prefix is an index range on every cluster. Only when no key in the project starts
//   with it, the descriptions containing it. Searching descriptions as well would read every row
//   of the project for every keystroke (65 ms at 100,000 secrets instead of under 1 ms).
// - any other single word (`stripe`, `100%`): keys starting with it or descriptions containing it.
// - several words: descriptions containing every word.
// Conditions on the Secret row `s`, every value a bound parameter.
type Search = { where: Fragment; fallback?: Fragment };

function parseSearch(search: string | null | undefined): Search {
  const term = search?.trim();
  if (!term) return { where: fragment`true` };
  const words = term.split(/\s+/).slice(0, 8);
  const inDescriptions = fragment`NOT EXISTS (SELECT 1 FROM unnest(${words.map((w) => `%${literal(w)}%`)}::text[]) AS w(pattern) WHERE s.description NOT ILIKE w.pattern)`;
  if (words.length > 1) return { where: inDescriptions };
  const keyPrefix = fragment`s.name LIKE ${`${literal(term.toUpperCase())}%`}`;
  if (/^[A-Za-z0-9_]+$/.test(term) && /[_0-9]/.test(term)) return { where: keyPrefix, fallback: inDescriptions };
  return { where: fragment`(${keyPrefix} OR ${inDescriptions})` };
}

// A key fragment that no key of the project starts with searches the descriptions instead.
const anyKey = async (projectId: string, keyPrefix: Fragment) =>
  (await sql`SELECT 1 FROM "Secret" s WHERE s."projectId" = ${projectId}::uuid AND ${keyPrefix} LIMIT 1`).length > 0;

interface ListedRow extends Omit<SecretRow, "createdBy" | "updatedBy"> {
  createdById: string | null;
  createdByEmail: string | null;
  updatedById: string | null;
  updatedByEmail: string | null;
}

// Keyset pagination over the (projectId, name) unique index, stable order by name: one statement,
// straight through node-postgres (the hottest read after resolution). Never reads a value.
export async function listSecrets(actor: Actor | null, raw: z.input<typeof input>) {
  const data = parseInput(input, raw);
  const access = await projectAccess(actor, { id: data.projectId });
  assertCan(access, "secrets:read");
  const first = data.first ?? PAGE_DEFAULT;
  const projectId = access.project.id;
  const after = data.after ? decodeCursor(data.after) : "";
  const search = parseSearch(data.search);
  const page = (where: Fragment) => sql<ListedRow>`
    SELECT s.id, s."projectId", s.name, s.description, s.type, s.metadata, s.storage::text AS storage, s."referencePath", s.hint,
           s."currentVersion", s."createdAt", s."updatedAt",
           cb.id AS "createdById", cb.email AS "createdByEmail", ub.id AS "updatedById", ub.email AS "updatedByEmail"
    FROM "Secret" s
    LEFT JOIN "User" cb ON cb.id = s."createdById"
    LEFT JOIN "User" ub ON ub.id = s."updatedById"
    WHERE s."projectId" = ${projectId}::uuid AND s.name > ${after} AND ${where}
    ORDER BY s.name
    LIMIT ${first + 1}`;
  let rows = await page(search.where);
  // A key fragment and no key on this page: none at all without a cursor; past one, ask.
  if (rows.length === 0 && search.fallback && !(data.after && (await anyKey(projectId, search.where)))) {
    rows = await page(search.fallback);
  }
  const nodes: SecretDto[] = rows.slice(0, first).map(({ createdById, createdByEmail, updatedById, updatedByEmail, ...row }) =>
    toSecretDto({
      ...row,
      createdBy: createdById ? { id: createdById, email: createdByEmail! } : null,
      updatedBy: updatedById ? { id: updatedById, email: updatedByEmail! } : null,
    }),
  );
  return {
    nodes,
    hasNextPage: rows.length > first,
    endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].name) : null,
  };
}

export async function countSecrets(actor: Actor | null, projectId: string, search?: string | null) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const count = (where: Fragment) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM "Secret" s WHERE s."projectId" = ${access.project.id}::uuid AND ${where}`.then(([r]) => r.n);
  const { where, fallback } = parseSearch(search);
  const n = await count(where);
  return n === 0 && fallback ? count(fallback) : n;
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
