import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError } from "../errors";
import { isUniqueViolation } from "../secrets/shared";
import { parseInput } from "../validation";
import { consumerSelect, toConsumerDto } from "./consumer-dto";
import { consumerKind, consumerName, templatesInput } from "./inputs";
import { manageAccess } from "./manage-access";

const input = z.object({
  projectSlug: z.string().min(1, "Project is required"),
  kind: consumerKind,
  name: consumerName,
  allowAllSecrets: z.boolean().nullish(),
  templates: templatesInput.nullish(),
});

export type CreateConsumerInput = z.input<typeof input>;

export async function createConsumer(actor: Actor | null, raw: CreateConsumerInput) {
  const data = parseInput(input, raw);
  const access = await manageAccess(actor, { slug: data.projectSlug });
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.consumer.create({
        data: {
          projectId: access.project.id,
          kind: data.kind,
          name: data.name,
          allowAllSecrets: data.allowAllSecrets ?? false,
          templates: { create: data.templates ?? [] },
        },
        select: consumerSelect,
      });
      await recordAudit(tx, actor, { action: "consumer.create", projectId: access.project.id, details: { consumer: row.name, kind: row.kind } });
      return toConsumerDto(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A consumer named ${data.name} already exists in this project`, { field: "name" });
    throw error;
  }
}
