import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { env } from "../env";
import { AppError, notFound } from "../errors";
import { findSecretUses } from "../consumers/secret-consumers";
import { log } from "../log";
import { readCurrentValues, refOf, removeValue, writeValue } from "../storage";
import { parseInput } from "../validation";
import { loadSecretForActor } from "./shared";

const input = z.object({
  id: z.string({ error: "Secret id is required" }),
  confirmName: z.string({ error: "Type the secret's key to confirm deletion" }),
  force: z.boolean().nullish(),
});

// Permanent. The request repeats the secret's name; consumers that use it must be named and the
// deletion forced, because their next run will fail. An SSM parameter and the row go together or
// not at all.
export async function deleteSecret(actor: Actor | null, raw: z.input<typeof input>) {
  const data = parseInput(input, raw);
  const { secret, access } = await loadSecretForActor(actor, data.id);
  assertCan(access, "secrets:manage");
  if (data.confirmName !== secret.name) {
    throw new AppError("BAD_USER_INPUT", `Type the secret's key (${secret.name}) exactly to confirm deletion`, { field: "confirmName" });
  }
  // Attached or named in a template's placeholder: either way their next run fails.
  const uses = await findSecretUses(secret);
  const consumers = uses.map((u) => ({ consumerId: u.consumer.id, consumerName: u.consumer.name, kind: u.consumer.kind, attached: u.attached }));
  if (consumers.length > 0 && !data.force) {
    throw new AppError(
      "CONFLICT",
      `${secret.name} is used by ${consumers.map((c) => c.consumerName).join(", ")}; their next run will fail. Detach it (or edit their templates) or delete with force.`,
      { attachments: consumers },
    );
  }
  const ref = refOf(secret);
  // An SSM value is read first and kept in memory until the delete commits, to put the parameter
  // back if it does not. (Read outside the transaction: the read records the version it saw.)
  const removed = secret.storage === "SSM" ? (await readCurrentValues([ref]))[0] : null;
  let parameterDeleted = false;
  try {
    return await db().$transaction(
      async (tx) => {
        const { count } = await tx.secret.deleteMany({ where: { id: secret.id } });
        if (count === 0) throw notFound("Secret");
        await recordAudit(tx, actor, {
          action: "secret.delete",
          projectId: secret.projectId,
          secretId: secret.id,
          secretName: secret.name,
          details: { version: secret.currentVersion, forced: Boolean(data.force), consumers: consumers.map((c) => c.consumerName) },
        });
        await removeValue(ref);
        parameterDeleted = secret.storage === "SSM";
        return { id: secret.id, name: secret.name, brokenConsumers: consumers };
      },
      { timeout: 2 * env().VAULT_SSM_DEADLINE_MS + 5000 },
    );
  } catch (error) {
    if (removed && parameterDeleted) {
      await writeValue({ ...ref, version: secret.currentVersion }, removed).catch(() =>
        log.error("ssm.restore_failed", { parameter: secret.referencePath, secretName: secret.name }),
      );
    }
    throw error;
  } finally {
    removed?.fill(0);
  }
}
