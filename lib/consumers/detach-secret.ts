import "server-only";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { notFound } from "../errors";
import { consumerSelect, consumerWithAccess, toConsumerDto } from "./consumer-dto";

export async function detachSecret(actor: Actor | null, raw: { consumerId: string; secretName: string }) {
  const { consumer, access } = await consumerWithAccess(actor, raw.consumerId);
  assertCan(access, "secrets:manage");
  return db().$transaction(async (tx) => {
    const { count } = await tx.attachment.deleteMany({ where: { consumerId: consumer.id, secretName: raw.secretName } });
    if (count === 0) throw notFound(`Attachment of ${raw.secretName}`);
    await recordAudit(tx, actor, { action: "secret.detach", projectId: consumer.projectId, secretName: raw.secretName, details: { consumer: consumer.name } });
    return toConsumerDto(await tx.consumer.findUniqueOrThrow({ where: { id: consumer.id }, select: consumerSelect }));
  });
}

