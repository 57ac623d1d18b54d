import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { parseInput } from "../validation";

const input = z.object({
  projectId: z.string(),
  first: z.number().int().min(1).max(200, "first must be at most 200").nullish(),
  after: z.string().max(40).nullish(),
  secretName: z.string().max(256).nullish(),
  actor: z.string().max(256).nullish(),
  action: z.string().max(64).regex(/^[a-z_.]+$/, "Unknown action").nullish(),
  // Inclusive day bounds, YYYY-MM-DD (UTC).
  from: z.iso.date({ error: "Dates are YYYY-MM-DD" }).nullish(),
  to: z.iso.date({ error: "Dates are YYYY-MM-DD" }).nullish(),
});

// Newest first, keyset-paginated on the event id.
export async function listAuditEvents(actor: Actor | null, raw: z.input<typeof input>) {
  const data = parseInput(input, raw);
  const access = await projectAccess(actor, { id: data.projectId });
  assertCan(access, "audit:read");
  if (data.after && !/^\d+$/.test(data.after)) throw new AppError("BAD_USER_INPUT", "Invalid cursor", { field: "after" });
  const first = data.first ?? 50;
  const rows = await db().auditEvent.findMany({
    where: {
      projectId: access.project.id,
      ...(data.after ? { id: { lt: BigInt(data.after) } } : {}),
      ...(data.secretName ? { secretName: data.secretName } : {}),
      ...(data.actor ? { actorLabel: { contains: data.actor, mode: "insensitive" as const } } : {}),
      ...(data.action ? { action: data.action } : {}),
      ...(data.from || data.to
        ? { createdAt: { ...(data.from ? { gte: new Date(`${data.from}T00:00:00Z`) } : {}), ...(data.to ? { lt: new Date(new Date(`${data.to}T00:00:00Z`).getTime() + 86_400_000) } : {}) } }
        : {}),
    },
    orderBy: { id: "desc" },
    take: first + 1,
  });
  const nodes = rows.slice(0, first).map((r) => ({
    id: r.id.toString(),
    action: r.action,
    actorLabel: r.actorLabel,
    actorKind: r.actorTokenId ? "TOKEN" : r.actorUserId ? "USER" : "OPERATOR",
    secretName: r.secretName,
    details: r.details as Record<string, unknown>,
    client: r.client,
    createdAt: r.createdAt,
  }));
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? nodes[nodes.length - 1].id : null };
}
