import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { computeHint } from "../crypto/hint";
import { db } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { prepareValue } from "../storage";
import { parseInput } from "../validation";
import { secretSelect, toSecretDto, type SecretDto } from "./dto";
import { descriptionSchema, metadataSchema, newValueSchema, secretNameSchema, storageSchema, typeSchema } from "./inputs";
import { findPreset } from "./presets";
import { actorUserId, isUniqueViolation } from "./shared";

const input = z.object({
  projectSlug: z.string({ error: "Project is required" }).min(1, "Project is required"),
  name: z.string().nullish(),
  value: newValueSchema,
  description: descriptionSchema.nullish(),
  type: typeSchema.nullish(),
  metadata: metadataSchema.nullish(),
  preset: z.string().nullish(),
  storage: storageSchema.nullish(),
});

export type CreateSecretInput = z.input<typeof input>;

// A preset fixes the name and type and checks the value's known shape.
function applyPreset(raw: z.output<typeof input>) {
  if (!raw.preset) return { name: parseInput(secretNameSchema, raw.name ?? ""), type: raw.type ?? "" };
  const preset = findPreset(raw.preset);
  if (!preset) throw new AppError("BAD_USER_INPUT", "Unknown preset", { field: "preset" });
  if (raw.name && raw.name !== preset.name) {
    throw new AppError("BAD_USER_INPUT", `The ${preset.provider} preset fixes the key to ${preset.name}`, { field: "name" });
  }
  if (preset.format && !preset.format.pattern.test(raw.value)) {
    throw new AppError("BAD_USER_INPUT", `This does not look like a ${preset.description}: expected a value that ${preset.format.expected}`, {
      field: "value",
    });
  }
  return { name: preset.name, type: preset.type };
}

export async function createSecret(actor: Actor | null, raw: CreateSecretInput): Promise<SecretDto> {
  const data = parseInput(input, raw);
  const { name, type } = applyPreset(data);
  const access = await projectAccess(actor, { slug: data.projectSlug });
  assertCan(access, "secrets:manage");

  const projectId = access.project.id;
  const secretId = randomUUID();
  const storage = data.storage ?? "DATABASE";
  const stored = prepareValue({ projectId, secretId, secretName: name, version: 1, storage }, Buffer.from(data.value, "utf8"));
  const userId = actorUserId(actor);
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.secret.create({
        data: {
          id: secretId,
          projectId,
          name,
          description: data.description ?? "",
          type,
          metadata: data.metadata ?? {},
          storage,
          hint: computeHint(data.value),
          currentVersion: 1,
          createdById: userId,
          updatedById: userId,
          versions: { create: { version: 1, storage, ...stored, createdById: userId } },
        },
        select: secretSelect,
      });
      await recordAudit(tx, actor, {
        action: "secret.create",
        projectId,
        secretId,
        secretName: name,
        details: { version: 1, storage, ...(data.preset ? { preset: data.preset } : {}) },
      });
      return toSecretDto(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A secret named ${name} already exists in this project`, { field: "name" });
    }
    throw error;
  }
}
