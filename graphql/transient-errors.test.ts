// When the database is down, or a transaction loses a deadlock, clients get UNAVAILABLE ("try
// again"), fast, never INTERNAL_SERVER_ERROR; a lost deadlock is retried a bounded number of times.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/db/generated/client";
import { sqlOn } from "@/lib/db/sql";
import { retryOnConflict, transientDbError } from "@/lib/transient-errors";
import { newTeam, tokenFor } from "../test/fixtures";
import { gql } from "../test/graphql";

describe("transient database failures", () => {
  it("a database that cannot be reached answers UNAVAILABLE within seconds, through Prisma and through sql``", async () => {
    const team = await newTeam();
    const inject = await tokenFor(team.slug, ["secrets:inject"]);
    const holder = globalThis as unknown as { __vault?: unknown };
    const live = holder.__vault;
    // A real pool whose server is gone (nothing listens on port 1), shared like lib/db/client.ts does.
    const pool = new pg.Pool({ connectionString: "postgresql://vault:vault@127.0.0.1:1/gone", connectionTimeoutMillis: 2000 });
    holder.__vault = { prisma: new PrismaClient({ adapter: new PrismaPg(pool) }), sql: sqlOn(pool), pool };
    try {
      // A Prisma query (the viewer's membership), then the hot path's raw SQL (a resolution).
      for (const [actor, query] of [
        [team.viewer.actor, "query($s:String!){ project(slug:$s){ id } }"],
        [inject.actor, 'mutation{ resolveEnvironment(consumer:"any"){ variables{ name } } }'],
      ] as const) {
        const started = Date.now();
        const r = await gql(actor, query, { s: team.slug });
        expect(r.errors?.[0]?.extensions?.code).toBe("UNAVAILABLE");
        expect(r.errors?.[0]?.message).toBe("The database is unavailable right now; try again shortly");
        expect(Date.now() - started).toBeLessThan(5000);
      }
    } finally {
      holder.__vault = live;
      await pool.end();
    }
  });

  it("a transaction that loses a deadlock is retried and succeeds; conflicts map to UNAVAILABLE", async () => {
    const [a, b] = await Promise.all([newTeam(), newTeam()]);
    let attempts = 0;
    const lockBoth = (first: string, second: string) =>
      retryOnConflict(() => {
        attempts += 1;
        return db().$transaction(async (tx) => {
          await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${first}::uuid FOR UPDATE`;
          await tx.$executeRaw`SELECT pg_sleep(0.3)`;
          await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${second}::uuid FOR UPDATE`;
        });
      });
    await Promise.all([lockBoth(a.project.id, b.project.id), lockBoth(b.project.id, a.project.id)]);
    // PostgreSQL kills one of the two (deadlock) and the retry completes it; PGlite runs one
    // transaction at a time, so there nothing conflicts.
    expect(attempts).toBe(inject("databaseKind") === "postgres" ? 3 : 2);
    expect(transientDbError(Object.assign(new Error("deadlock"), { code: "P2034" }))?.code).toBe("UNAVAILABLE");
  });
});
