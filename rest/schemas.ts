import { z } from "zod";
import { ERROR_CODES } from "@/lib/errors";
import { descriptionSchema, metadataSchema, newValueSchema, optionalValueSchema, secretNameSchema, storageSchema, typeSchema } from "@/lib/secrets/inputs";
import type { SecretDto } from "@/lib/secrets/dto";
import { PAGE_MAX } from "@/lib/secrets/list-secrets";

// The REST API's bodies, in that API's field names (snake_case), built from the field schemas the
// secret services parse with (lib/secrets/inputs.ts). They validate requests here, whitelist
// responses, and are the source of the OpenAPI document (rest/openapi.ts): there is no other copy.

const envVar = z.string().max(256).meta({ description: "ENV storage: the vault server's environment variable that holds the value." });

export const createSecretBody = z
  .object({
    name: secretNameSchema.meta({ description: "The environment variable name: ^[A-Z_][A-Z0-9_]*$." }),
    value: newValueSchema.optional().meta({ description: "Write-only. Required, except for ENV storage." }),
    description: descriptionSchema.optional(),
    type: typeSchema.optional(),
    metadata: metadataSchema.optional(),
    storage: storageSchema.optional().meta({ description: "DATABASE (encrypted), SSM or ENV; the vault's default when absent." }),
    env_var: envVar.optional(),
  });

export const createPresetSecretBody = z
  .object({
    preset: z.string().min(1).meta({ description: "A preset id from GET /api/v1/user/secrets/presets (openai, anthropic, github, …); it fixes the name." }),
    value: newValueSchema.optional().meta({ description: "Write-only. Required, except for ENV storage." }),
    description: descriptionSchema.optional(),
    metadata: metadataSchema.optional(),
    storage: storageSchema.optional(),
    env_var: envVar.optional(),
  });

export const updateSecretBody = z
  .object({
    value: optionalValueSchema.meta({ description: "Write-only. Absent or empty keeps the current value; a new value becomes a new version." }),
    description: descriptionSchema.optional(),
    type: typeSchema.optional(),
    metadata: metadataSchema.optional(),
    storage: storageSchema.optional().meta({ description: "Moves the value to another location as a new version." }),
    env_var: envVar.optional(),
    expected_version: z.number().int().positive().optional().meta({ description: "When set and the secret has moved on, the answer is 409 and nothing is written." }),
  });

export const resolveBody = z
  .object({
    secret_ids: z.array(z.string().max(100)).max(100).optional(),
    names: z.array(z.string().max(256)).max(100).optional(),
    consumers: z.array(z.string().max(100)).max(20).optional().meta({ description: "Consumers whose environments come first, in precedence order (later wins)." }),
  });

const timestamp = z.iso.datetime();

export const secretResponse = z
  .object({
    secret_id: z.uuid(),
    project: z.string().meta({ description: "The project's slug." }),
    name: z.string(),
    description: z.string(),
    type: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    storage: z.enum(["DATABASE", "SSM", "ENV"]),
    reference_path: z.string().nullable(),
    hint: z.string().meta({ description: "A masked preview of the value (never the value)." }),
    version: z.number().int(),
    created_at: timestamp,
    updated_at: timestamp,
    created_by: z.string().nullable(),
    updated_by: z.string().nullable(),
  });

export const secretListResponse = z.array(secretResponse);

export const deletedSecretResponse = z.object({ secret_id: z.uuid(), name: z.string(), deleted: z.literal(true) });

export const presetResponse = z
  .object({
    id: z.string(),
    provider: z.string(),
    name: z.string().meta({ description: "The environment variable name the preset fixes." }),
    type: z.string(),
    description: z.string(),
    format: z.string().nullable(),
  });

export const presetListResponse = z.array(presetResponse);

export const resolveResponse = z
  .object({
    consumers: z.array(z.string()),
    variables: z.array(z.object({ name: z.string(), value: z.string() })).meta({ description: "The only place a value is ever returned." }),
    conflicts: z.array(z.object({ variable: z.string(), sources: z.array(z.string()) })),
  });

export const errorResponse = z
  .object({
    error: z.object({
      code: z.enum([...(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]), "PAYLOAD_TOO_LARGE", "INTERNAL_SERVER_ERROR"]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  });

export const listQuery = z.object({
  project: z.string().optional(),
  search: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_MAX).optional(),
  cursor: z.string().max(1024).optional(),
});

export function toRestSecret(dto: SecretDto, projectSlug: string): z.output<typeof secretResponse> {
  return secretResponse.parse({
    secret_id: dto.id,
    project: projectSlug,
    name: dto.name,
    description: dto.description,
    type: dto.type,
    metadata: dto.metadata,
    storage: dto.storage,
    reference_path: dto.referencePath,
    hint: dto.hint,
    version: dto.version,
    created_at: dto.createdAt.toISOString(),
    updated_at: dto.updatedAt.toISOString(),
    created_by: dto.createdBy?.email ?? null,
    updated_by: dto.updatedBy?.email ?? null,
  });
}
