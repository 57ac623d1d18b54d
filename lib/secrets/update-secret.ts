import "server-only";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { hintFor } from "../crypto/hint";
import { db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { readCurrentValues, referencePathFor, refOf, removeValue, undoQuietly, writeValue, type Written } from "../storage";
import { readEnvVar } from "../storage/env-vars";
import { parseInput } from "../validation";
import { secretSelect, toSecretDto, type SecretDto } from "./dto";
import { descriptionSchema, metadataSchema, optionalValueSchema, storageSchema, typeSchema } from "./inputs";
import { actorUserId, loadSecretForActor } from "./shared";

const input = z.object({
  id: z.string({ error: "Secret id is required" }),
  value: optionalValueSchema,
  description: descriptionSchema.nullish(),
  type: typeSchema.nullish(),
  metadata: metadataSchema.nullish(),
  // Moves the value to another storage location as a new version (it never passes through the client).
  storage: storageSchema.nullish(),
  // ENV storage: the server environment variable to point at.
  envVar: z.string().nullish(),
  expectedVersion: z.number().int().positive().nullish(),
});

export type UpdateSecretInput = z.input<typeof input>;

const movedOn = (name: string) =>
  new AppError("CONFLICT", `${name} was changed by someone else since you loaded it; reload it and try again`);

// Another update committed between this one's read and its write. With expectedVersion the caller
// asked to be told (CONFLICT); without it the caller asked for "last writer wins", so the update is
// applied again on top of the newer version.
class LostVersionRace extends Error {}
const RACE_ATTEMPTS = 12;

// The name never changes. An empty value keeps the current one; a new value, a move to another
// storage location or a new environment variable becomes a new version.
export async function updateSecret(actor: Actor | null, raw: UpdateSecretInput): Promise<SecretDto> {
  const data = parseInput(input, raw);
  for (let attempt = 1; ; attempt++) {
    try {
      return await updateOnce(actor, data);
    } catch (error) {
      if (!(error instanceof LostVersionRace)) throw error;
      if (data.expectedVersion != null) throw movedOn(error.message);
      if (attempt >= RACE_ATTEMPTS) {
        throw new AppError("UNAVAILABLE", `${error.message} is being changed by many callers at once; try again`);
      }
      // Jittered, so the writers that lost this round do not all collide again in the next.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt, 5)));
    }
  }
}

async function updateOnce(actor: Actor | null, data: z.output<typeof input>): Promise<SecretDto> {
  const { secret, access } = await loadSecretForActor(actor, data.id);
  assertCan(access, "secrets:manage");

  const storage = data.storage ?? secret.storage;
  const moving = storage !== secret.storage;
  const repointing = storage === "ENV" && Boolean(data.envVar) && data.envVar !== secret.referencePath;
  if (storage === "ENV" && data.value) {
    throw new AppError("BAD_USER_INPUT", "An ENV secret takes its value from the server environment: leave the value empty", { field: "value" });
  }
  const changed: Record<string, string | object> = {};
  if (data.description != null && data.description !== secret.description) changed.description = data.description;
  if (data.type != null && data.type !== secret.type) changed.type = data.type;
  if (data.metadata != null && !isDeepStrictEqual(data.metadata, secret.metadata)) changed.metadata = data.metadata;
  const newVersion = Boolean(data.value) || moving || repointing;
  if (!newVersion && Object.keys(changed).length === 0) throw new AppError("BAD_USER_INPUT", "No changes to save");
  if (data.expectedVersion != null && data.expectedVersion !== secret.currentVersion) throw movedOn(secret.name);

  const version = newVersion ? secret.currentVersion + 1 : secret.currentVersion;
  const current = refOf(secret);
  const referencePath = newVersion ? referencePathFor(storage, access.project, secret.name, data.envVar ?? (moving ? null : secret.referencePath)) : secret.referencePath;
  // The value of the new version: the one given, the server variable's, or the current one moved.
  let value: Buffer | null = null;
  if (data.value) value = Buffer.from(data.value, "utf8");
  else if (storage === "ENV" && newVersion) value = readEnvVar(referencePath!, secret.name, access.project);
  else if (moving) [value] = await readCurrentValues([current]);
  const previousSsmVersion =
    newVersion && storage === "SSM" && secret.storage === "SSM"
      ? ((await db().secretVersion.findUnique({ where: { secretId_version: { secretId: secret.id, version: secret.currentVersion } }, select: { ssmVersion: true } }))?.ssmVersion ?? null)
      : null;
  const userId = actorUserId(actor);
  let written: Written | undefined;

  try {
    const updated = await db().$transaction(
      async (tx) => {
        // Guarded by the version read above, so a concurrent edit can never be overwritten silently.
        const { count } = await tx.secret.updateMany({
          where: { id: secret.id, currentVersion: secret.currentVersion },
          data: {
            ...changed,
            ...(newVersion ? { currentVersion: version, storage, referencePath, hint: hintFor(storage, value!) } : {}),
            updatedById: userId,
            updatedAt: new Date(),
          },
        });
        if (count === 0) throw new LostVersionRace(secret.name);
        if (newVersion) {
          written = await writeValue({ ...current, version, storage, referencePath }, value, { previousSsmVersion });
          await tx.secretVersion.create({ data: { secretId: secret.id, version, storage, ...written.fields, createdById: userId } });
        }
        await recordAudit(tx, actor, {
          action: "secret.update",
          projectId: secret.projectId,
          secretId: secret.id,
          secretName: secret.name,
          details: {
            version,
            valueChanged: Boolean(data.value),
            fields: Object.keys(changed),
            ...(moving ? { movedFrom: secret.storage, movedTo: storage } : {}),
            ...(repointing ? { envVar: referencePath } : {}),
          },
        });
        return toSecretDto(await tx.secret.findUniqueOrThrow({ where: { id: secret.id }, select: secretSelect }));
      },
      { timeout: env().VAULT_SSM_DEADLINE_MS + 5000 },
    );
    // Leaving SSM: the old parameter goes once the move has committed (an orphan is recorded if not).
    if (moving && secret.storage === "SSM") {
      await removeValue(current).catch(async () => {
        log.error("ssm.cleanup_failed", { parameter: secret.referencePath });
        await db().ssmOrphan.create({ data: { parameterName: secret.referencePath!, reason: `moved ${secret.name} to ${storage}` } });
      });
    }
    return updated;
  } catch (error) {
    await undoQuietly(written, referencePath, `update of ${secret.name} did not commit`);
    throw error;
  } finally {
    value?.fill(0);
  }
}
