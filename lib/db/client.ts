import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "../env";
import { PrismaClient } from "./generated/client";
import { sqlOn, type Sql } from "./sql";

// One Prisma client per process. Ciphertext columns are omitted by default and selected only by the
// storage code that decrypts (lib/storage/database.ts).
// The pool is shared with the typed raw SQL of the hot paths (sql(), lib/db/sql.ts).
function createClient(pool: pg.Pool) {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    omit: { secretVersion: { ciphertext: true, wrappedKey: true } },
    // Under load a transaction may wait for a pooled connection as long as any query would
    // (connectionTimeoutMillis), not Prisma's default 2 s; past that it answers UNAVAILABLE.
    transactionOptions: { maxWait: 5000 },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const holder = globalThis as unknown as { __vault?: { prisma: Db; sql: Sql; pool: pg.Pool } };

function connection() {
  if (!holder.__vault) {
    const { DATABASE_URL, VAULT_DB_POOL_MAX } = env();
    // A database that does not answer fails a request in seconds (UNAVAILABLE), never hangs it.
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: VAULT_DB_POOL_MAX, connectionTimeoutMillis: 5000 });
    // An idle pooled connection the server drops (restart, failover) is discarded, never a crash.
    pool.on("error", () => {});
    holder.__vault = { prisma: createClient(pool), sql: sqlOn(pool), pool };
  }
  return holder.__vault;
}

export const db = (): Db => connection().prisma;
export const sql: Sql = (strings, ...values) => connection().sql(strings, ...values);

export async function disconnectDb() {
  const current = holder.__vault;
  holder.__vault = undefined;
  // Prisma first (its open work), then the pool it shares with sql (ended here even when Prisma
  // never ran a query).
  await current?.prisma.$disconnect();
  await current?.pool.end();
}
