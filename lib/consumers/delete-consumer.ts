import "server-only";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { consumerWithAccess } from "./consumer-dto";

export async function deleteConsumer(actor: Actor | null, id: string) {
  const { consumer, access } = await consumerWithAccess(actor, id);
  assertCan(access, "secrets:manage");
  await db().$transaction(async (tx) => {
    await tx.consumer.delete({ where: { id: consumer.id } });
    await recordAudit(tx, actor, { action: "consumer.delete", projectId: consumer.projectId, details: { consumer: consumer.name } });
  });
  return { id: consumer.id, name: consumer.name };
}
