import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { secretSelect, toSecretDto } from "../secrets/dto";

// Secrets no consumer has resolved in the last `days` days (never-resolved ones included). By name;
// `page` takes at most `first` after the secret named `after`, none the first 1000.
export async function unusedSecrets(actor: Actor | null, projectId: string, days: number, page?: { first: number; after?: string | null }) {
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new AppError("BAD_USER_INPUT", "days must be between 1 and 3650");
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const since = new Date(Date.now() - days * 86_400_000);
  const rows = await db().secret.findMany({
    where: {
      projectId: access.project.id,
      attachments: { none: { lastResolvedAt: { gte: since } } },
      ...(page?.after ? { name: { gt: page.after } } : {}),
    },
    select: secretSelect,
    orderBy: { name: "asc" },
    take: page ? Math.max(1, Math.min(page.first, 200)) : 1000,
  });
  return rows.map(toSecretDto);
}
