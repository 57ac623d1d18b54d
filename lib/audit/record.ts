import "server-only";
import type { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import { actorLabel, type Actor } from "../auth/actor";

export interface AuditInput {
  action: string;
  projectId?: string | null;
  secretId?: string | null;
  secretName?: string | null;
  details?: Prisma.InputJsonObject;
}

// The row for an event, for callers that batch it with other statements in one transaction.
export function auditRow(actor: Actor | null, event: AuditInput): Prisma.AuditEventCreateManyInput {
  return {
    action: event.action,
    projectId: event.projectId ?? null,
    secretId: event.secretId ?? null,
    secretName: event.secretName ?? null,
    details: event.details ?? {},
    actorUserId: actor?.kind === "user" ? actor.userId : null,
    actorTokenId: actor?.kind === "token" ? actor.tokenId : null,
    actorLabel: actor ? actorLabel(actor) : "system",
    client: actor?.client ?? "cli",
  };
}

// Written inside the same transaction as the change it describes: if the audit row cannot be
// written, the change does not happen. Details carry names, ids, versions and counts, never a value
// or a hint.
export async function recordAudit(tx: Tx, actor: Actor | null, event: AuditInput) {
  await tx.auditEvent.create({ data: auditRow(actor, event) });
}

// Many events by one actor: one statement over arrays of the columns (hundreds of rows in Prisma's
// createMany cost a hundred milliseconds or more).
export async function recordAuditMany(tx: Tx, actor: Actor | null, events: AuditInput[]) {
  if (events.length === 0) return;
  const rows = events.map((e) => auditRow(actor, e));
  const { actorUserId, actorTokenId, actorLabel, client } = rows[0];
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("projectId", "actorUserId", "actorTokenId", "actorLabel", action, "secretId", "secretName", details, client)
    SELECT x."projectId", ${actorUserId}::uuid, ${actorTokenId}::uuid, ${actorLabel}, x.action, x."secretId", x."secretName", x.details::jsonb, ${client}
    FROM unnest(${rows.map((r) => r.projectId)}::uuid[], ${rows.map((r) => r.action)}::text[], ${rows.map((r) => r.secretId)}::uuid[],
                ${rows.map((r) => r.secretName)}::text[], ${rows.map((r) => JSON.stringify(r.details))}::text[])
      AS x("projectId", action, "secretId", "secretName", details)`;
}
