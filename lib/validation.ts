import { z } from "zod";
import { AppError } from "./errors";

// Parses service input; a failure is BAD_USER_INPUT with the schema's own messages, which name the
// field and the rule, never the submitted value.
// `field` names the input when the schema describes a single value.
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, fieldName?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join(".") || fieldName;
  throw new AppError("BAD_USER_INPUT", issue.message, field ? { field } : undefined);
}

export const emailSchema = z
  .string({ error: "Email is required" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address" }).max(254, "Email is too long"));

export const slugSchema = z
  .string({ error: "Project slug is required" })
  .trim()
  .min(1, "Project slug is required")
  .max(64, "Project slug must be at most 64 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Project slug may contain lowercase letters, digits and dashes");

// Ids are UUIDs; anything else cannot name a row (and must not reach a uuid column).
export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
