import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "../env";
import { PrismaClient } from "./generated/client";

// One Prisma client per process. Ciphertext columns are omitted by default and selected only by the
// storage code that decrypts (lib/storage/database.ts).
function createClient() {
  const { DATABASE_URL, VAULT_DB_POOL_MAX } = env();
  return new PrismaClient({
    // A database that does not answer fails a request in seconds (UNAVAILABLE), never hangs it.
    adapter: new PrismaPg({ connectionString: DATABASE_URL, max: VAULT_DB_POOL_MAX, connectionTimeoutMillis: 5000 }),
    omit: { secretVersion: { ciphertext: true, wrappedKey: true } },
    // Under load a transaction may wait for a pooled connection as long as any query would
    // (connectionTimeoutMillis), not Prisma's default 2 s; past that it answers UNAVAILABLE.
    transactionOptions: { maxWait: 5000 },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const holder = globalThis as unknown as { __vaultPrisma?: Db };

export function db(): Db {
  holder.__vaultPrisma ??= createClient();
  return holder.__vaultPrisma;
}

export async function disconnectDb() {
  const client = holder.__vaultPrisma;
  holder.__vaultPrisma = undefined;
  await client?.$disconnect();
}
