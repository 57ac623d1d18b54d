import "server-only";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { accessToRowProject } from "../projects/access";
import { isUuid } from "../validation";
import { placeholderNames, TemplateError } from "./placeholders";

export interface SecretUse {
  consumer: { id: string; name: string; kind: "AGENT" | "TASK_TEMPLATE" | "INTEGRATION_CREDENTIAL" };
  // The variable the consumer sees the secret as: its attachment's, else the first template naming it.
  variable: string;
  attached: boolean;
  // Templates of the consumer whose text names the secret in a {{NAME}} placeholder.
  templateVariables: string[];
  lastResolvedAt: Date | null;
}

const names = (template: string) => {
  try {
    return placeholderNames(template);
  } catch (error) {
    if (error instanceof TemplateError) return [];
    throw error;
  }
};

// Every consumer that uses a secret: attached to it, or naming it in a template's placeholder
// (allow-all consumers included). By consumer name; `page` takes at most `first` after the consumer
// named `after`, none takes all. No access check: callers check first.
export async function findSecretUses(
  secret: { id: string; projectId: string; name: string },
  page?: { first: number; after?: string | null },
): Promise<SecretUse[]> {
  const take = page ? Math.max(1, Math.min(page.first, 200)) : undefined;
  const after = page?.after ? { name: { gt: page.after } } : {};
  const [attachments, templates] = await Promise.all([
    db().attachment.findMany({
      where: { secretId: secret.id, consumer: after },
      select: { alias: true, secretName: true, lastResolvedAt: true, consumer: { select: { id: true, name: true, kind: true } } },
      orderBy: { consumer: { name: "asc" } },
      take,
    }),
    // Candidates by text, confirmed by parsing (`{{ NAME }}` and escapes are the parser's business).
    db().consumerTemplate.findMany({
      where: { template: { contains: secret.name }, consumer: { projectId: secret.projectId, ...after } },
      select: { variable: true, template: true, consumer: { select: { id: true, name: true, kind: true } } },
      orderBy: [{ consumer: { name: "asc" } }, { variable: "asc" }],
    }),
  ]);
  const uses = new Map<string, SecretUse>();
  for (const a of attachments) {
    uses.set(a.consumer.id, { consumer: a.consumer, variable: a.alias ?? a.secretName, attached: true, templateVariables: [], lastResolvedAt: a.lastResolvedAt });
  }
  for (const t of templates) {
    if (!names(t.template).includes(secret.name)) continue;
    const use = uses.get(t.consumer.id) ?? { consumer: t.consumer, variable: t.variable, attached: false, templateVariables: [], lastResolvedAt: null };
    use.templateVariables.push(t.variable);
    uses.set(t.consumer.id, use);
  }
  const sorted = [...uses.values()].sort((a, b) => (a.consumer.name < b.consumer.name ? -1 : 1)).slice(0, take);
  // Resolutions of a consumer that only names the secret in a template are known from the audit trail.
  await Promise.all(
    sorted
      .filter((u) => !u.attached)
      .map(async (u) => {
        const event = await db().auditEvent.findFirst({
          where: {
            projectId: secret.projectId,
            action: "environment.resolve",
            AND: [{ details: { path: ["consumer"], equals: u.consumer.name } }, { details: { path: ["secrets"], array_contains: [secret.name] } }],
          },
          orderBy: { id: "desc" },
          select: { createdAt: true },
        });
        u.lastResolvedAt = event?.createdAt ?? null;
      }),
  );
  return sorted;
}

// The blast radius of a rotation or delete: which consumers use a secret, and when each last
// resolved it.
export async function secretConsumers(actor: Actor | null, secretId: string, page?: { first: number; after?: string | null }) {
  const secret = isUuid(secretId) ? await db().secret.findUnique({ where: { id: secretId }, select: { id: true, projectId: true, name: true } }) : null;
  if (!secret) return [];
  assertCan(await accessToRowProject(actor, secret.projectId, "Secret"), "secrets:read");
  return findSecretUses(secret, page);
}
