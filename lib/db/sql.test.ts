// The hot paths' raw SQL reads and writes Prisma's DateTime columns (timestamp without time zone,
// UTC) exactly as Prisma does, whatever the process's time zone.
import { afterEach, describe, expect, it } from "vitest";
import { db, sql } from "./client";
import { fragment } from "./sql";

describe("sql``", () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  it("reads and writes timestamps as UTC in any local time zone, and binds every value as a parameter", async () => {
    process.env.TZ = "America/New_York";
    const [row] = await sql<{ literal: Date; echoed: Date; text: string }>`
      SELECT '2026-01-02 03:04:05.678'::timestamp(3) AS literal, ${new Date(Date.UTC(2026, 6, 1, 12, 0, 0, 5))}::timestamp(3) AS echoed,
             ${"'; DROP TABLE \"Secret\"; --"}::text AS text`;
    expect(row.literal.toISOString()).toBe("2026-01-02T03:04:05.678Z");
    expect(row.echoed.toISOString()).toBe("2026-07-01T12:00:00.005Z");
    expect(row.text).toBe("'; DROP TABLE \"Secret\"; --");
    // Prisma reads the same column the same way.
    const [viaPrisma] = await db().$queryRaw<{ literal: Date }[]>`SELECT '2026-01-02 03:04:05.678'::timestamp(3) AS literal`;
    expect(viaPrisma.literal.toISOString()).toBe(row.literal.toISOString());
  });

  it("inlines fragments with their values still bound, numbered in order", async () => {
    const evil = "x' OR true --";
    const inner = fragment`${evil}::text = ${"x"}`;
    const outer = fragment`(${inner} OR ${2}::int = ${3})`;
    const [row] = await sql<{ first: number; matched: boolean; last: string }>`SELECT ${1}::int AS first, ${outer} AS matched, ${"end"}::text AS last`;
    expect(row).toEqual({ first: 1, matched: false, last: "end" });
  });

  it("renders a fragment made by another copy of the module (Next bundles one per layer)", async () => {
    // What lib/db/sql.ts in another bundle layer makes: a plain object under the same global symbol.
    const foreign = { [Symbol.for("secrets-vault.sql.fragment")]: true, strings: ["", " = 'x'"], values: ["x"] };
    const [row] = await sql<{ matched: boolean }>`SELECT ${foreign} AS matched`;
    expect(row.matched).toBe(true);
  });
});
