import "server-only";
import type { Actor } from "../auth/actor";
import type { ProjectAccess } from "../authz";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { notFound } from "../errors";
import { accessToRowProject } from "../projects/access";
import { isUuid } from "../validation";

// Consumers are the things that run with secrets (agents, task templates, integration
// credentials). Their environment is the merge of their attached secrets and their templates;
// a template wins over an attachment for the same variable, and every such clash is reported.

export const consumerSelect = {
  id: true,
  projectId: true,
  kind: true,
  name: true,
  allowAllSecrets: true,
  createdAt: true,
  updatedAt: true,
  templates: { select: { variable: true, template: true }, orderBy: { variable: "asc" } },
  attachments: { select: { secretName: true, secretId: true, alias: true, lastResolvedAt: true }, orderBy: { secretName: "asc" } },
} satisfies Prisma.ConsumerSelect;

export type ConsumerRow = Prisma.ConsumerGetPayload<{ select: typeof consumerSelect }>;

export interface EnvironmentPlanEntry {
  variable: string;
  // Which source wins: the template, else the attachment.
  from: { template: string } | { secretName: string };
}

export function environmentPlan(consumer: {
  templates: Pick<ConsumerRow["templates"][number], "variable" | "template">[];
  attachments: Pick<ConsumerRow["attachments"][number], "secretName" | "alias">[];
}) {
  const sources = new Map<string, string[]>();
  const add = (variable: string, source: string) => sources.set(variable, [...(sources.get(variable) ?? []), source]);
  for (const a of consumer.attachments) add(a.alias ?? a.secretName, `secret ${a.secretName}`);
  for (const t of consumer.templates) add(t.variable, "template");
  const plan = new Map<string, EnvironmentPlanEntry>();
  for (const a of consumer.attachments) plan.set(a.alias ?? a.secretName, { variable: a.alias ?? a.secretName, from: { secretName: a.secretName } });
  for (const t of consumer.templates) plan.set(t.variable, { variable: t.variable, from: { template: t.template } });
  const conflicts = [...sources].filter(([, s]) => s.length > 1).map(([variable, s]) => ({ variable, sources: s }));
  return { entries: [...plan.values()].sort((a, b) => (a.variable < b.variable ? -1 : 1)), conflicts, sources };
}

export function toConsumerDto(row: ConsumerRow) {
  const lastResolvedAt = row.attachments.reduce<Date | null>((m, a) => (a.lastResolvedAt && (!m || a.lastResolvedAt > m) ? a.lastResolvedAt : m), null);
  return {
    ...row,
    attachments: row.attachments.map((a) => ({ ...a, variable: a.alias ?? a.secretName, missing: a.secretId === null })),
    conflicts: environmentPlan(row).conflicts,
    lastResolvedAt,
  };
}

// Loads a consumer for an actor; one in a project the actor cannot see is NOT_FOUND.
export async function consumerWithAccess(actor: Actor | null, id: string): Promise<{ consumer: ConsumerRow; access: ProjectAccess }> {
  const consumer = isUuid(id) ? await db().consumer.findUnique({ where: { id }, select: consumerSelect }) : null;
  if (!consumer) throw notFound("Consumer");
  return { consumer, access: await accessToRowProject(actor, consumer.projectId, "Consumer") };
}
