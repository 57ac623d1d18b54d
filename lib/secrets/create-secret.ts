import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { auditRow } from "../audit/record";
import { assertCan } from "../authz";
import { hintFor } from "../crypto/hint";
import { db, sql } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { env } from "../env";
import { readEnvVar } from "../storage/env-vars";
import { defaultStorage, referencePathFor, undoQuietly, writeValue, type Written } from "../storage";
import { parseInput } from "../validation";
import { secretSelect, toSecretDto, type SecretDto } from "./dto";
import { descriptionSchema, metadataSchema, newValueSchema, secretNameSchema, storageSchema, typeSchema } from "./inputs";
import { findPreset } from "./presets";
import { actorUserId, isUniqueViolation } from "./shared";

const input = z.object({
  projectSlug: z.string({ error: "Project is required" }).min(1, "Project is required"),
  name: z.string().nullish(),
  // Required unless the value lives in a server environment variable (storage ENV).
  value: z.string().nullish(),
  envVar: z.string().nullish(),
  description: descriptionSchema.nullish(),
  type: typeSchema.nullish(),
  metadata: metadataSchema.nullish(),
  preset: z.string().nullish(),
  storage: storageSchema.nullish(),
});

export type CreateSecretInput = z.input<typeof input>;

// A preset fixes the name and type and checks the value's known shape.
function applyPreset(raw: z.output<typeof input>, value: string | null) {
  if (!raw.preset) return { name: parseInput(secretNameSchema, raw.name ?? "", "name"), type: raw.type ?? "" };
  const preset = findPreset(raw.preset);
  if (!preset) throw new AppError("BAD_USER_INPUT", "Unknown preset", { field: "preset" });
  if (raw.name && raw.name !== preset.name) {
    throw new AppError("BAD_USER_INPUT", `The ${preset.provider} preset fixes the key to ${preset.name}`, { field: "name" });
  }
  if (preset.format && value !== null && !preset.format.pattern.test(value)) {
    throw new AppError("BAD_USER_INPUT", `This does not look like a ${preset.description}: expected a value that ${preset.format.expected}`, {
      field: "value",
    });
  }
  return { name: preset.name, type: preset.type };
}

export async function createSecret(actor: Actor | null, raw: CreateSecretInput): Promise<SecretDto> {
  const data = parseInput(input, raw);
  const storage = data.storage ?? defaultStorage();
  if (storage === "ENV" && data.value) {
    throw new AppError("BAD_USER_INPUT", "An ENV secret takes its value from the server environment: leave the value empty", { field: "value" });
  }
  const given = storage === "ENV" ? null : parseInput(newValueSchema, data.value ?? "", "value");
  const { name, type } = applyPreset(data, given);
  const access = await projectAccess(actor, { slug: data.projectSlug });
  assertCan(access, "secrets:manage");

  const projectId = access.project.id;
  const secretId = randomUUID();
  const referencePath = referencePathFor(storage, access.project, name, data.envVar);
  const value = given === null ? readEnvVar(referencePath!, name, access.project) : Buffer.from(given, "utf8");
  const ref = { projectId, secretId, secretName: name, version: 1, storage, referencePath };
  const userId = actorUserId(actor);
  const row = {
    id: secretId,
    projectId,
    name,
    description: data.description ?? "",
    type,
    metadata: data.metadata ?? {},
    storage,
    referencePath,
    hint: hintFor(storage, value),
    currentVersion: 1,
    createdById: userId,
    updatedById: userId,
  };
  const audit = auditRow(actor, {
    action: "secret.create",
    projectId,
    secretId,
    secretName: name,
    details: { version: 1, storage, ...(referencePath ? { referencePath } : {}), ...(data.preset ? { preset: data.preset } : {}) },
  });
  let written: Written | undefined;
  try {
    if (storage !== "SSM") {
      // Nothing is written outside the database: the row, its version and the audit row go in one
      // statement (atomic, one round trip).
      written = await writeValue(ref, value);
      const f = written.fields;
      const [{ createdAt, updatedAt }] = await sql<{ createdAt: Date; updatedAt: Date }>`
        WITH s AS (
          INSERT INTO "Secret" (id, "projectId", name, description, type, metadata, storage, "referencePath", hint, "currentVersion", "createdById", "updatedById", "updatedAt")
          VALUES (${row.id}::uuid, ${row.projectId}::uuid, ${row.name}, ${row.description}, ${row.type}, ${JSON.stringify(row.metadata)}::jsonb,
                  ${row.storage}::"Storage", ${row.referencePath}, ${row.hint}, 1, ${userId}::uuid, ${userId}::uuid, CURRENT_TIMESTAMP)
          RETURNING id, "createdAt", "updatedAt"),
        v AS (
          INSERT INTO "SecretVersion" (id, "secretId", version, storage, ciphertext, "wrappedKey", "keyId", "createdById")
          SELECT ${randomUUID()}::uuid, s.id, 1, ${row.storage}::"Storage", ${f.ciphertext ?? null}, ${f.wrappedKey ?? null}, ${f.keyId ?? null}, ${userId}::uuid FROM s),
        a AS (
          INSERT INTO "AuditEvent" ("projectId", "actorUserId", "actorTokenId", "actorLabel", action, "secretId", "secretName", details, client)
          SELECT ${audit.projectId}::uuid, ${audit.actorUserId}::uuid, ${audit.actorTokenId}::uuid, ${audit.actorLabel}, ${audit.action}, s.id,
                 ${audit.secretName}, ${JSON.stringify(audit.details)}::jsonb, ${audit.client} FROM s)
        SELECT "createdAt", "updatedAt" FROM s`;
      const by = actor?.kind === "user" ? { id: actor.userId, email: actor.email } : null;
      return toSecretDto({ ...row, createdAt, updatedAt, createdBy: by, updatedBy: by });
    }
    return await db().$transaction(
      async (tx) => {
        // The row first: a duplicate name fails here, before anything is written outside the database.
        await tx.secret.create({ data: row });
        written = await writeValue(ref, value);
        await tx.secretVersion.create({ data: { secretId, version: 1, storage, ...written.fields, createdById: userId } });
        await tx.auditEvent.create({ data: audit });
        return toSecretDto(await tx.secret.findUniqueOrThrow({ where: { id: secretId }, select: secretSelect }));
      },
      { timeout: env().VAULT_SSM_DEADLINE_MS + 5000 },
    );
  } catch (error) {
    await undoQuietly(written, referencePath, `create of ${name} did not commit`);
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A secret named ${name} already exists in this project`, { field: "name" });
    }
    throw error;
  } finally {
    value.fill(0);
  }
}
