import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { AppError } from "../errors";
import { isUniqueViolation } from "../secrets/shared";
import { parseInput } from "../validation";
import { consumerSelect, consumerWithAccess, toConsumerDto } from "./consumer-dto";
import { consumerName, templatesInput } from "./inputs";

const input = z.object({
  id: z.string(),
  name: consumerName.nullish(),
  allowAllSecrets: z.boolean().nullish(),
  // Replaces every template when given.
  templates: templatesInput.nullish(),
});

export type UpdateConsumerInput = z.input<typeof input>;

export async function updateConsumer(actor: Actor | null, raw: UpdateConsumerInput) {
  const data = parseInput(input, raw);
  const { consumer, access } = await consumerWithAccess(actor, data.id);
  assertCan(access, "secrets:manage");
  try {
    return await db().$transaction(async (tx) => {
      if (data.templates) {
        await tx.consumerTemplate.deleteMany({ where: { consumerId: consumer.id } });
        await tx.consumerTemplate.createMany({ data: data.templates.map((t) => ({ ...t, consumerId: consumer.id })) });
      }
      const row = await tx.consumer.update({
        where: { id: consumer.id },
        data: { ...(data.name ? { name: data.name } : {}), ...(data.allowAllSecrets != null ? { allowAllSecrets: data.allowAllSecrets } : {}) },
        select: consumerSelect,
      });
      await recordAudit(tx, actor, {
        action: "consumer.update",
        projectId: consumer.projectId,
        details: {
          consumer: row.name,
          ...(row.name !== consumer.name ? { renamedFrom: consumer.name } : {}),
          templates: row.templates.map((t) => t.variable),
          allowAllSecrets: row.allowAllSecrets,
        },
      });
      return toConsumerDto(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A consumer named ${data.name} already exists in this project`, { field: "name" });
    throw error;
  }
}
