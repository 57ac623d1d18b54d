import "server-only";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { computeHint } from "../crypto/hint";
import { db } from "../db/client";
import { AppError } from "../errors";
import { prepareValue } from "../storage";
import { parseInput } from "../validation";
import { secretSelect, toSecretDto, type SecretDto } from "./dto";
import { descriptionSchema, metadataSchema, optionalValueSchema, typeSchema } from "./inputs";
import { actorUserId, loadSecretForActor } from "./shared";

const input = z.object({
  id: z.string({ error: "Secret id is required" }),
  value: optionalValueSchema,
  description: descriptionSchema.nullish(),
  type: typeSchema.nullish(),
  metadata: metadataSchema.nullish(),
  expectedVersion: z.number().int().positive().nullish(),
});

export type UpdateSecretInput = z.input<typeof input>;

const movedOn = (name: string) =>
  new AppError("CONFLICT", `${name} was changed by someone else since you loaded it; reload it and try again`);

// The name never changes. An empty value keeps the current one; a new value becomes a new version.
export async function updateSecret(actor: Actor | null, raw: UpdateSecretInput): Promise<SecretDto> {
  const data = parseInput(input, raw);
  const { secret, access } = await loadSecretForActor(actor, data.id);
  assertCan(access, "secrets:manage");

  const changed: Record<string, string | object> = {};
  if (data.description != null && data.description !== secret.description) changed.description = data.description;
  if (data.type != null && data.type !== secret.type) changed.type = data.type;
  if (data.metadata != null && !isDeepStrictEqual(data.metadata, secret.metadata)) changed.metadata = data.metadata;
  if (!data.value && Object.keys(changed).length === 0) throw new AppError("BAD_USER_INPUT", "No changes to save");
  if (data.expectedVersion != null && data.expectedVersion !== secret.currentVersion) throw movedOn(secret.name);

  const version = data.value ? secret.currentVersion + 1 : secret.currentVersion;
  const ref = { projectId: secret.projectId, secretId: secret.id, secretName: secret.name, version, storage: secret.storage };
  const stored = data.value ? prepareValue(ref, Buffer.from(data.value, "utf8")) : undefined;
  const userId = actorUserId(actor);

  return db().$transaction(async (tx) => {
    // Guarded by the version read above, so a concurrent edit can never be overwritten silently.
    const { count } = await tx.secret.updateMany({
      where: { id: secret.id, currentVersion: secret.currentVersion },
      data: {
        ...changed,
        ...(data.value ? { currentVersion: version, hint: computeHint(data.value) } : {}),
        updatedById: userId,
        updatedAt: new Date(),
      },
    });
    if (count === 0) throw movedOn(secret.name);
    if (stored) {
      await tx.secretVersion.create({ data: { secretId: secret.id, version, storage: secret.storage, ...stored, createdById: userId } });
    }
    await recordAudit(tx, actor, {
      action: "secret.update",
      projectId: secret.projectId,
      secretId: secret.id,
      secretName: secret.name,
      details: { version, valueChanged: Boolean(data.value), fields: Object.keys(changed) },
    });
    return toSecretDto(await tx.secret.findUniqueOrThrow({ where: { id: secret.id }, select: secretSelect }));
  });
}
