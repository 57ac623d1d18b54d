// A hot spot: many clients update one secret at once, each saying which version it edits
// (expectedVersion). Exactly one update per version wins, every loser gets CONFLICT, versions stay
// sequential, and nothing answered with success is lost. Meaningful on PostgreSQL, where the
// updates really overlap (CI runs it there too).
import { describe, expect, it } from "vitest";
import { db } from "../db/client";
import { AppError } from "../errors";
import { newTeam } from "../../test/fixtures";
import { createSecret } from "./create-secret";
import { updateSecret } from "./update-secret";

process.env.VAULT_DB_POOL_MAX = "10";

describe("50 concurrent updates of one secret", () => {
  it("one winner per version, CONFLICT for the rest, nothing lost", async () => {
    const team = await newTeam();
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "HOT", value: "v0-0123456789" });
    let wins = 0;
    let version = 1;
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => updateSecret(team.editor.actor, { id: s.id, value: `r${round}-c${i}-0123456789`, expectedVersion: version })),
      );
      const ok = results.filter((r) => r.status === "fulfilled");
      const codes = results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as AppError).code);
      expect(ok).toHaveLength(1);
      expect(codes).toEqual(Array(49).fill("CONFLICT"));
      expect((ok[0] as PromiseFulfilledResult<{ version: number }>).value.version).toBe(version + 1);
      wins += 1;
      version += 1;
    }
    const versions = await db().secretVersion.findMany({ where: { secretId: s.id }, select: { version: true }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(await db().auditEvent.count({ where: { secretId: s.id, action: "secret.update" } })).toBe(wins);
  });

  it("without expectedVersion, concurrent updates all apply in turn (last writer wins): no CONFLICT, one version each", async () => {
    const team = await newTeam();
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "HOT_LWW", value: "v0-0123456789" });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => updateSecret(team.editor.actor, { id: s.id, value: `lww-c${i}-0123456789`, description: `writer ${i}` })),
    );
    const refused = results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as AppError).code);
    expect(refused).toEqual([]);
    const won = results.map((r) => (r as PromiseFulfilledResult<{ version: number }>).value.version).sort((a, b) => a - b);
    expect(won).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const versions = await db().secretVersion.findMany({ where: { secretId: s.id }, select: { version: true }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await db().auditEvent.count({ where: { secretId: s.id, action: "secret.update" } })).toBe(8);
  });
});
