import "server-only";
import type { Actor } from "../auth/actor";
import { auditRow } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { retryOnConflict } from "../transient-errors";
import { AppError, notFound, unauthenticated } from "../errors";
import { projectAccess } from "../projects/access";
import { readCurrentValues, refOf } from "../storage";
import { consumerSelect, environmentPlan } from "./consumer-dto";
import { deniedVariableReason } from "./denied-variables.mjs";
import { placeholderNames, renderTemplate } from "./placeholders";

// The one place values leave the server: a consumer's environment, for an API token holding
// secrets:inject, in its own project. Values are read now (a rotation is picked up by the next
// resolution); the audit row is written before anything is returned, and if it cannot be written
// nothing is. All or nothing: any unknown, disallowed, deleted or unreadable secret fails the call,
// naming the secrets, never a value.
const LAST_USE_EVERY_MS = 10_000;

export async function resolveEnvironment(actor: Actor | null, consumerName: string) {
  if (!actor) throw unauthenticated();
  if (actor.kind !== "token") throw new AppError("FORBIDDEN", "Only an API token with secrets:inject can resolve values");
  const access = await projectAccess(actor, { id: actor.projectId });
  assertCan(access, "secrets:inject");
  const consumer = await db().consumer.findUnique({
    where: { projectId_name: { projectId: access.project.id, name: consumerName } },
    select: consumerSelect,
  });
  if (!consumer) throw notFound(`Consumer ${consumerName}`);
  // Consumers saved before the deny-list existed: refuse rather than hand a runner NODE_OPTIONS.
  const { entries, conflicts } = environmentPlan(consumer);
  const denied = entries.map((e) => deniedVariableReason(e.variable)).filter((r): r is string => r !== null);
  if (denied.length) throw new AppError("BAD_USER_INPUT", `${consumer.name} cannot be resolved: ${denied.join("; ")}. Rename or remove these variables.`);

  const deleted = consumer.attachments.filter((a) => a.secretId === null).map((a) => a.secretName);
  if (deleted.length) {
    throw new AppError("NOT_FOUND", `${consumer.name} uses deleted secret(s): ${deleted.join(", ")}. Create them again or detach them.`, { missing: deleted });
  }
  const attached = new Set(consumer.attachments.map((a) => a.secretName));
  const referenced = consumer.templates.flatMap((t) => placeholderNames(t.template));
  const needed = [...new Set([...attached, ...referenced])];
  const secrets = await db().secret.findMany({
    where: { projectId: access.project.id, name: { in: needed } },
    select: { id: true, projectId: true, name: true, currentVersion: true, storage: true, referencePath: true },
  });
  const known = new Set(secrets.map((s) => s.name));
  const unknown = referenced.filter((n) => !known.has(n));
  const disallowed = consumer.allowAllSecrets ? [] : referenced.filter((n) => known.has(n) && !attached.has(n));
  if (unknown.length || disallowed.length) {
    const parts = [
      unknown.length ? `unknown: ${[...new Set(unknown)].join(", ")}` : "",
      disallowed.length ? `not attached to ${consumer.name}: ${[...new Set(disallowed)].join(", ")}` : "",
    ].filter(Boolean);
    throw new AppError("BAD_USER_INPUT", `Placeholders that cannot be resolved (${parts.join("; ")})`, { unknown, disallowed });
  }

  const buffers = await readCurrentValues(secrets.map(refOf));
  const values = new Map(secrets.map((s, i) => [s.name, buffers[i].toString("utf8")]));
  buffers.forEach((b) => b.fill(0));
  const variables = entries.map((e) => ({
    name: e.variable,
    value: "template" in e.from ? renderTemplate(e.from.template, values) : values.get(e.from.secretName)!,
  }));

  // Last use is bookkeeping, written at most once per LAST_USE_EVERY_MS per attachment, in id order,
  // skipping rows another resolution is writing right now (it records the same moment): concurrent
  // resolutions of one consumer never wait on or deadlock over each other. The audit row is always
  // written before any value leaves, in the same single statement (atomic, one round trip).
  const now = new Date();
  const stale = new Date(now.getTime() - LAST_USE_EVERY_MS);
  const audit = auditRow(actor, {
    action: "environment.resolve",
    projectId: access.project.id,
    details: {
      consumer: consumer.name,
      tokenId: actor.tokenId,
      token: actor.tokenName,
      variables: variables.map((v) => v.name),
      secrets: secrets.map((s) => s.name),
    },
  });
  await retryOnConflict(
    () => db().$executeRaw`
      WITH touched AS (
        UPDATE "Attachment" SET "lastResolvedAt" = ${now}
        WHERE id IN (
          SELECT id FROM "Attachment"
          WHERE "consumerId" = ${consumer.id}::uuid AND ("lastResolvedAt" IS NULL OR "lastResolvedAt" < ${stale})
          ORDER BY id FOR UPDATE SKIP LOCKED)
        RETURNING 1)
      INSERT INTO "AuditEvent" ("projectId", "actorUserId", "actorTokenId", "actorLabel", action, details, client)
      VALUES (${audit.projectId}::uuid, ${audit.actorUserId}::uuid, ${audit.actorTokenId}::uuid, ${audit.actorLabel}, ${audit.action},
              ${JSON.stringify(audit.details)}::jsonb, ${audit.client})`,
  );
  return { consumer: { id: consumer.id, name: consumer.name, kind: consumer.kind }, variables, conflicts };
}
