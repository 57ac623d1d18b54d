// A CI fleet starting many jobs at once resolves one consumer concurrently. On PostgreSQL the old
// last-use update (one UPDATE over the consumer's attachments per resolution) deadlocked: 16 of 24
// calls failed. Every resolution must succeed and leave exactly one audit row. (PGlite runs one
// session at a time: this test means something on PostgreSQL, where CI runs it too.)
import { beforeAll, describe, expect, it } from "vitest";
import { tokenActor, type Actor } from "../auth/actor";
import { db } from "../db/client";
import { createSecret } from "../secrets/create-secret";
import { createApiToken } from "../tokens/api-tokens";
import { newTeam, uniq } from "../../test/fixtures";
import { attachSecret } from "./attach-secret";
import { createConsumer } from "./create-consumer";
import { resolveEnvironment } from "./resolve-environment";

// As many connections as a server process has (the suite's default is 2), so resolutions overlap.
process.env.VAULT_DB_POOL_MAX = "10";

let team: Awaited<ReturnType<typeof newTeam>>;
let runner: Actor;
let consumerName: string;

beforeAll(async () => {
  team = await newTeam();
  const c = await createConsumer(team.admin.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: uniq("fleet") });
  consumerName = c.name;
  for (let i = 0; i < 60; i++) {
    const name = `FLEET_${String(i).padStart(2, "0")}`;
    await createSecret(team.editor.actor, { projectSlug: team.slug, name, value: `value-${i}-0123456789` });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: name });
  }
  const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: uniq("ci"), scopes: ["secrets:inject"] });
  runner = (await tokenActor(token))!;
}, 120_000);

describe("concurrent resolutions of one consumer", () => {
  it("all succeed with every value and one audit row each, and record the last use", async () => {
    const before = await db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } });
    for (let round = 0; round < 3; round++) {
      // Make every attachment due for its last-use write, so the writes really contend.
      await db().attachment.updateMany({ where: { consumer: { name: consumerName } }, data: { lastResolvedAt: null } });
      const results = await Promise.allSettled(Array.from({ length: 24 }, () => resolveEnvironment(runner, consumerName)));
      const failed = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
      expect(failed).toEqual([]);
      for (const r of results) expect((r as PromiseFulfilledResult<Awaited<ReturnType<typeof resolveEnvironment>>>).value.variables).toHaveLength(60);
    }
    expect(await db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } })).toBe(before + 72);
    expect(await db().attachment.count({ where: { consumer: { name: consumerName }, lastResolvedAt: null } })).toBe(0);
  });
});
