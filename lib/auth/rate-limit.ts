import "server-only";
import { db } from "../db/client";

// Fixed-window counters in the shared "RateLimit" table, so every vault instance behind a load
// balancer sees the same counts. Each change is one atomic statement (INSERT … ON CONFLICT … DO
// UPDATE … RETURNING): concurrent attempts on any number of instances never lose an update, and no
// read-then-write leaves a gap between the check and the count.
//
// A hit counts the attempt first and answers whether it is over the limit; the caller refuses it
// then, before doing the expensive or sensitive work. Once over, the key stays blocked until its
// window ends (blockedUntil = windowStart + window), however many more attempts arrive: nobody can
// extend a block by hammering, so a block lasts at most one window.
//
// Times are the database's clock (UTC), not the instances' clocks, which may disagree.

export type Limit = { max: number; windowSeconds: number };
export type Hit = { count: number; blocked: boolean; retryAfterSeconds: number };

export async function hitRateLimit(key: string, limit: Limit): Promise<Hit> {
  const rows = await db().$queryRaw<{ count: number; retryAfter: number | null }[]>`
    INSERT INTO "RateLimit" AS r ("key", "count", "windowStart", "blockedUntil")
    VALUES (${key}, 1, timezone('UTC', now()), NULL)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE
        WHEN r."windowStart" + make_interval(secs => ${limit.windowSeconds}::int) <= timezone('UTC', now()) THEN 1
        ELSE r."count" + 1 END,
      "windowStart" = CASE
        WHEN r."windowStart" + make_interval(secs => ${limit.windowSeconds}::int) <= timezone('UTC', now()) THEN timezone('UTC', now())
        ELSE r."windowStart" END,
      "blockedUntil" = CASE
        WHEN r."windowStart" + make_interval(secs => ${limit.windowSeconds}::int) <= timezone('UTC', now()) THEN NULL
        WHEN r."count" + 1 > ${limit.max}::int THEN r."windowStart" + make_interval(secs => ${limit.windowSeconds}::int)
        ELSE r."blockedUntil" END
    RETURNING "count",
      EXTRACT(EPOCH FROM ("blockedUntil" - timezone('UTC', now())))::float8 AS "retryAfter"`;
  const { count, retryAfter } = rows[0];
  const blocked = retryAfter !== null && retryAfter > 0;
  return { count, blocked, retryAfterSeconds: blocked ? Math.max(1, Math.ceil(retryAfter)) : 0 };
}

// Forget a key (a successful sign-in clears its account's failures).
export async function clearRateLimit(key: string): Promise<void> {
  await db().$executeRaw`DELETE FROM "RateLimit" WHERE "key" = ${key}`;
}

// Give back one counted attempt that turned out fine, so only failures use up the limit.
export async function refundRateLimit(key: string): Promise<void> {
  await db().$executeRaw`UPDATE "RateLimit" SET "count" = GREATEST("count" - 1, 0) WHERE "key" = ${key}`;
}

// Rows of windows that ended long ago, under one key prefix (other features share the table).
export async function pruneRateLimits(prefix: string, olderThanSeconds: number): Promise<number> {
  return db().$executeRaw`
    DELETE FROM "RateLimit"
    WHERE starts_with("key", ${prefix})
      AND "windowStart" < timezone('UTC', now()) - make_interval(secs => ${olderThanSeconds}::int)`;
}
