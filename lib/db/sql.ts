import "server-only";
import pg from "pg";

// Typed raw SQL for the hottest paths (token check, resolution, listing, create), straight through
// node-postgres on the same pool Prisma uses (lib/db/client.ts): no query compiler, no result
// mapping, one round trip per statement. Everything else goes through Prisma.
//
//   import { sql } from "./client";
//   const rows = await sql<{ id: string }>`SELECT id FROM "Secret" WHERE name = ${name}`;
//
// Values are always bound parameters ($1, $2, …), never spliced into the text.

// Prisma stores DateTime as `timestamp(3)` without a time zone, in UTC; node-postgres would read
// it in the server's local zone. Here it is read as UTC, like Prisma does, whatever TZ says.
const TIMESTAMP = 1114;
const parseUtc = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP) return parseUtc;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

export type Sql = <T = Record<string, unknown>>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<T[]>;

// A piece of a statement written once and used in several (a WHERE clause): its values stay bound
// parameters wherever it lands. Recognised by a global symbol, not instanceof: Next bundles this
// module once per layer (route handlers, server components), and a fragment made in one layer is
// rendered by the pool's sql in whichever layer opened it.
const FRAGMENT = Symbol.for("secrets-vault.sql.fragment");
export interface Fragment {
  readonly [FRAGMENT]: true;
  readonly strings: readonly string[];
  readonly values: readonly unknown[];
}
export const fragment = (strings: TemplateStringsArray, ...values: unknown[]): Fragment => ({ [FRAGMENT]: true, strings, values });
const isFragment = (value: unknown): value is Fragment => typeof value === "object" && value !== null && (value as Fragment)[FRAGMENT] === true;

export function sqlOn(pool: pg.Pool): Sql {
  return async <T,>(strings: TemplateStringsArray, ...values: unknown[]) => {
    const params: unknown[] = [];
    const result = await pool.query({ text: render(strings, values, params), values: params, types });
    return result.rows as T[];
  };
}

function render(strings: readonly string[], values: readonly unknown[], params: unknown[]): string {
  let text = strings[0];
  values.forEach((value, i) => {
    if (isFragment(value)) text += render(value.strings, value.values, params);
    else text += `$${params.push(toParam(value))}`;
    text += strings[i + 1];
  });
  return text;
}

// Dates are sent as UTC timestamps without a zone (the column type), Uint8Arrays as bytea.
function toParam(value: unknown) {
  if (value instanceof Date) return value.toISOString().replace("T", " ").replace("Z", "");
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return value;
}
