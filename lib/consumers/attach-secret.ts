import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { AppError, notFound } from "../errors";
import { NAME_PATTERN } from "../secrets/names";
import { actorUserId } from "../secrets/shared";
import { parseInput } from "../validation";
import { consumerSelect, consumerWithAccess, toConsumerDto } from "./consumer-dto";
import { deniedVariableReason } from "./denied-variables.mjs";

const input = z.object({
  consumerId: z.string(),
  secretName: z.string().regex(NAME_PATTERN, "Name a secret of this project"),
  alias: z
    .string()
    .regex(NAME_PATTERN, "The variable name must use uppercase letters, digits and underscores (^[A-Z_][A-Z0-9_]*$)")
    .max(256)
    .nullish(),
});

export type AttachSecretInput = z.input<typeof input>;

export async function attachSecret(actor: Actor | null, raw: AttachSecretInput) {
  const data = parseInput(input, raw);
  const { consumer, access } = await consumerWithAccess(actor, data.consumerId);
  assertCan(access, "secrets:manage");
  const secret = await db().secret.findUnique({ where: { projectId_name: { projectId: consumer.projectId, name: data.secretName } }, select: { id: true } });
  if (!secret) throw notFound(`Secret ${data.secretName}`);
  const variable = data.alias ?? data.secretName;
  const denied = deniedVariableReason(variable);
  if (denied) throw new AppError("BAD_USER_INPUT", data.alias ? denied : `${denied}; attach it with an alias`, { field: "alias" });
  const clash = consumer.attachments.find((a) => a.secretName !== data.secretName && (a.alias ?? a.secretName) === variable);
  if (clash) throw new AppError("CONFLICT", `${consumer.name} already gets ${variable} from ${clash.secretName}`, { field: "alias" });
  return db().$transaction(async (tx) => {
    await tx.attachment.upsert({
      where: { consumerId_secretName: { consumerId: consumer.id, secretName: data.secretName } },
      create: { consumerId: consumer.id, secretId: secret.id, secretName: data.secretName, alias: data.alias ?? null, createdById: actorUserId(actor) },
      update: { secretId: secret.id, alias: data.alias ?? null },
    });
    await recordAudit(tx, actor, {
      action: "secret.attach",
      projectId: consumer.projectId,
      secretId: secret.id,
      secretName: data.secretName,
      details: { consumer: consumer.name, variable },
    });
    return toConsumerDto(await tx.consumer.findUniqueOrThrow({ where: { id: consumer.id }, select: consumerSelect }));
  });
}

