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

export async function recordAuditMany(tx: Tx, actor: Actor | null, events: AuditInput[]) {
  if (events.length) await tx.auditEvent.createMany({ data: events.map((e) => auditRow(actor, e)) });
}
