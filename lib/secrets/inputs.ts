import { z } from "zod";
import { nameProblem } from "./names";

// Field rules shared by the secret use cases. Messages are the ones users know from the dashboard
// and never contain the submitted value.
export const VALUE_MAX_BYTES = 64 * 1024;
export const DESCRIPTION_MAX = 1000;
export const METADATA_MAX_BYTES = 8 * 1024;

export const secretNameSchema = z
  .string({ error: "Secret key is required" })
  .superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const newValueSchema = z
  .string({ error: "Secret value is required" })
  .min(1, "Secret value is required")
  .refine((v) => Buffer.byteLength(v, "utf8") <= VALUE_MAX_BYTES, "Secret value must be at most 64 KiB");

// On edit an empty value means "keep the current one".
export const optionalValueSchema = z
  .string()
  .refine((v) => Buffer.byteLength(v, "utf8") <= VALUE_MAX_BYTES, "Secret value must be at most 64 KiB")
  .optional()
  .nullable()
  .transform((v) => (v ? v : undefined));

export const descriptionSchema = z.string().max(DESCRIPTION_MAX, "Description must be at most 1,000 characters");
export const typeSchema = z.string().trim().max(100, "Type must be at most 100 characters");
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export const metadataSchema = z
  .record(z.string(), z.unknown(), { error: "Metadata must be a JSON object" })
  .refine((m) => Buffer.byteLength(JSON.stringify(m), "utf8") <= METADATA_MAX_BYTES, "Metadata must be at most 8 KiB of JSON")
  .transform((m) => JSON.parse(JSON.stringify(m)) as { [key: string]: Json });

export const storageSchema = z.enum(["DATABASE", "SSM", "ENV"], { error: "Storage must be DATABASE, SSM or ENV" });
