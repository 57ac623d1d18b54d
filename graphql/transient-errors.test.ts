// When the database is down, or a transaction loses a deadlock, clients get UNAVAILABLE ("try
// again"), fast, never INTERNAL_SERVER_ERROR; a lost deadlock is retried a bounded number of times.
import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, inject, it } from "vitest";
import { db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/db/generated/client";
import { retryOnConflict, transientDbError } from "@/lib/transient-errors";
import { newTeam } from "../test/fixtures";
import { gql } from "../test/graphql";

describe("transient database failures", () => {
  it("a database that cannot be reached answers UNAVAILABLE within seconds", async () => {
    const team = await newTeam();
    const holder = globalThis as unknown as { __vaultPrisma?: unknown };
    const live = holder.__vaultPrisma;
    // A real client whose server is gone (nothing listens on port 1).
    holder.__vaultPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://vault:vault@127.0.0.1:1/gone", connectionTimeoutMillis: 2000 }) });
    try {
      const started = Date.now();
      const r = await gql(team.viewer.actor, "query($s:String!){ project(slug:$s){ id } }", { s: team.slug });
      expect(r.errors?.[0]?.extensions?.code).toBe("UNAVAILABLE");
      expect(r.errors?.[0]?.message).toBe("The database is unavailable right now; try again shortly");
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      holder.__vaultPrisma = live;
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
