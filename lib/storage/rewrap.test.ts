import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { KeyRing } from "../crypto/envelope";
import { db } from "../db/client";
import { AppError } from "../errors";
import { createSecret } from "../secrets/create-secret";
import { newTeam } from "../../test/fixtures";
import { readCurrentValues, refOf } from "./index";
import { rewrapDataKeys, type RewrapProgress } from "./rewrap";

const original = process.env.SECRETS_ENCRYPTION_KEY!;

async function readAll(projectId: string) {
  const rows = await db().secret.findMany({ where: { projectId }, orderBy: { name: "asc" } });
  const values = await readCurrentValues(rows.map(refOf));
  return values.map((v) => v.toString());
}

describe("master key rotation", () => {
  afterEach(() => {
    process.env.SECRETS_ENCRYPTION_KEY = original;
  });

  it("re-wraps every data key, survives an interruption, and old keys decrypt until it finishes", async () => {
    const team = await newTeam();
    const expected = Array.from({ length: 25 }, (_, i) => `rotation-value-${String(i).padStart(2, "0")}`);
    for (const [i, value] of expected.entries()) {
      await createSecret(team.editor.actor, { projectSlug: team.slug, name: `ROT_${String(i).padStart(2, "0")}`, value });
    }
    const newKey = randomBytes(32).toString("base64");
    const ring = new KeyRing([newKey, original]);
    process.env.SECRETS_ENCRYPTION_KEY = `${newKey},${original}`;

    const controller = new AbortController();
    const progress: RewrapProgress[] = [];
    const first = await rewrapDataKeys(ring, {
      projectId: team.project.id,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (p) => {
        progress.push(p);
        controller.abort(); // interrupted after the first batch
      },
    });
    expect(first).toMatchObject({ done: 10, total: 25, remaining: 15, interrupted: true });
    expect(progress[0]).toMatchObject({ done: 10, total: 25 });
    expect(progress[0].perSecond).toBeGreaterThan(0);
    // Half-rotated: both keys in the ring, every value still decrypts.
    expect(await readAll(team.project.id)).toEqual(expected);

    const resumed = await rewrapDataKeys(ring, { projectId: team.project.id, batchSize: 10 });
    expect(resumed).toMatchObject({ done: 15, remaining: 0, interrupted: false });
    const keyIds = await db().secretVersion.findMany({ where: { secret: { projectId: team.project.id } }, select: { keyId: true }, distinct: ["keyId"] });
    expect(keyIds).toEqual([{ keyId: ring.active.id }]);

    // Finished: the new key alone decrypts everything; the old key alone decrypts nothing.
    process.env.SECRETS_ENCRYPTION_KEY = newKey;
    expect(await readAll(team.project.id)).toEqual(expected);
    process.env.SECRETS_ENCRYPTION_KEY = original;
    await expect(readAll(team.project.id)).rejects.toSatisfy((e) => e instanceof AppError && e.code === "UNAVAILABLE");
  });
});
