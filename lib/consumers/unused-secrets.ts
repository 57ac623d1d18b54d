import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { secretSelect, toSecretDto } from "../secrets/dto";

// Secrets no consumer has resolved in the last `days` days (never-resolved ones included), whether
// attached or named in a template's placeholder. By name; `page` takes at most `first` after the secret named `after`, none the first 1000.
export async function unusedSecrets(actor: Actor | null, projectId: string, days: number, page?: { first: number; after?: string | null }) {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new AppError("BAD_USER_INPUT", "days must be between 1 and 3650");
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const since = new Date(Date.now() - days * 86_400_000);
  // A secret reached only through a template placeholder has no attachment to record its last use:
  // the resolutions' audit rows name every secret they read.
  const resolved = await db().$queryRaw<{ name: string }[]>`
    SELECT DISTINCT jsonb_array_elements_text(details->'secrets') AS name FROM "AuditEvent"
    WHERE "projectId" = ${access.project.id}::uuid AND action = 'environment.resolve' AND "createdAt" >= ${since}`;
  const name = { ...(resolved.length ? { notIn: resolved.map((r) => r.name) } : {}), ...(page?.after ? { gt: page.after } : {}) };
  const rows = await db().secret.findMany({
    where: {
      projectId: access.project.id,
      attachments: { none: { lastResolvedAt: { gte: since } } },
      ...(Object.keys(name).length ? { name } : {}),
    },
    select: secretSelect,
    orderBy: { name: "asc" },
    take: page ? Math.max(1, Math.min(page.first, 200)) : 1000,
  });
  return rows.map(toSecretDto);
}
