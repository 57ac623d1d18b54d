import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan, type ProjectAccess } from "../authz";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError, notFound } from "../errors";
import { accessToRowProject, projectAccess } from "../projects/access";
import { secretSelect, toSecretDto } from "../secrets/dto";
import { NAME_PATTERN } from "../secrets/names";
import { actorUserId, isUniqueViolation } from "../secrets/shared";
import { isUuid, parseInput } from "../validation";
import { deniedVariableReason } from "./denied-variables.mjs";
import { parseTemplate, TemplateError } from "./placeholders";

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

type ConsumerRow = Prisma.ConsumerGetPayload<{ select: typeof consumerSelect }>;

export interface EnvironmentPlanEntry {
  variable: string;
  // Which source wins: the template, else the attachment.
  from: { template: string } | { secretName: string };
}

export function environmentPlan(consumer: Pick<ConsumerRow, "templates" | "attachments">) {
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

const consumerName = z
  .string({ error: "Consumer name is required" })
  .trim()
  .min(1, "Consumer name is required")
  .max(100, "Consumer name must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Consumer names use letters, digits, spaces, dots, dashes and underscores");

const templateInput = z.object({
  variable: z
    .string({ error: "Variable is required" })
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "Variables are environment variable or header names")
    .max(256, "Variable names must be at most 256 characters"),
  template: z.string().max(16 * 1024, "A template must be at most 16 KiB"),
});

const templatesInput = z
  .array(templateInput)
  .max(200, "At most 200 templates per consumer")
  .superRefine((templates, ctx) => {
    const seen = new Set<string>();
    for (const [i, t] of templates.entries()) {
      if (seen.has(t.variable)) ctx.addIssue({ code: "custom", path: [i, "variable"], message: `${t.variable} appears twice` });
      const denied = deniedVariableReason(t.variable);
      if (denied) ctx.addIssue({ code: "custom", path: [i, "variable"], message: denied });
      seen.add(t.variable);
      try {
        parseTemplate(t.template);
      } catch (error) {
        if (error instanceof TemplateError) ctx.addIssue({ code: "custom", path: [i, "template"], message: `${t.variable}: ${error.message}` });
        else throw error;
      }
    }
  });

async function manage(actor: Actor | null, where: { slug: string } | { id: string }) {
  const access = await projectAccess(actor, where);
  assertCan(access, "secrets:manage");
  return access;
}

// Loads a consumer for an actor; one in a project the actor cannot see is NOT_FOUND.
export async function consumerWithAccess(actor: Actor | null, id: string): Promise<{ consumer: ConsumerRow; access: ProjectAccess }> {
  const consumer = isUuid(id) ? await db().consumer.findUnique({ where: { id }, select: consumerSelect }) : null;
  if (!consumer) throw notFound("Consumer");
  return { consumer, access: await accessToRowProject(actor, consumer.projectId, "Consumer") };
}

const createInput = z.object({
  projectSlug: z.string().min(1, "Project is required"),
  kind: z.enum(["AGENT", "TASK_TEMPLATE", "INTEGRATION_CREDENTIAL"], { error: "Kind must be AGENT, TASK_TEMPLATE or INTEGRATION_CREDENTIAL" }),
  name: consumerName,
  allowAllSecrets: z.boolean().nullish(),
  templates: templatesInput.nullish(),
});

export async function createConsumer(actor: Actor | null, raw: z.input<typeof createInput>) {
  const data = parseInput(createInput, raw);
  const access = await manage(actor, { slug: data.projectSlug });
  try {
    return await db().$transaction(async (tx) => {
      const row = await tx.consumer.create({
        data: {
          projectId: access.project.id,
          kind: data.kind,
          name: data.name,
          allowAllSecrets: data.allowAllSecrets ?? false,
          templates: { create: data.templates ?? [] },
        },
        select: consumerSelect,
      });
      await recordAudit(tx, actor, { action: "consumer.create", projectId: access.project.id, details: { consumer: row.name, kind: row.kind } });
      return toConsumerDto(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A consumer named ${data.name} already exists in this project`, { field: "name" });
    throw error;
  }
}

const updateInput = z.object({
  id: z.string(),
  name: consumerName.nullish(),
  allowAllSecrets: z.boolean().nullish(),
  // Replaces every template when given.
  templates: templatesInput.nullish(),
});

export async function updateConsumer(actor: Actor | null, raw: z.input<typeof updateInput>) {
  const data = parseInput(updateInput, raw);
  const { consumer, access } = await consumerWithAccess(actor, data.id);
  assertCan(access, "secrets:manage");
  try {
    return await db().$transaction(async (tx) => {
      if (data.templates) {
        await tx.consumerTemplate.deleteMany({ where: { consumerId: consumer.id } });
        await tx.consumerTemplate.createMany({ data: data.templates.map((t) => ({ ...t, consumerId: consumer.id })) });
      }
      const row = await tx.consumer.update({
        where: { id: consumer.id },
        data: { ...(data.name ? { name: data.name } : {}), ...(data.allowAllSecrets != null ? { allowAllSecrets: data.allowAllSecrets } : {}) },
        select: consumerSelect,
      });
      await recordAudit(tx, actor, {
        action: "consumer.update",
        projectId: consumer.projectId,
        details: { consumer: row.name, templates: row.templates.map((t) => t.variable), allowAllSecrets: row.allowAllSecrets },
      });
      return toConsumerDto(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A consumer named ${data.name} already exists in this project`, { field: "name" });
    throw error;
  }
}

export async function deleteConsumer(actor: Actor | null, id: string) {
  const { consumer, access } = await consumerWithAccess(actor, id);
  assertCan(access, "secrets:manage");
  await db().$transaction(async (tx) => {
    await tx.consumer.delete({ where: { id: consumer.id } });
    await recordAudit(tx, actor, { action: "consumer.delete", projectId: consumer.projectId, details: { consumer: consumer.name } });
  });
  return { id: consumer.id, name: consumer.name };
}

const attachInput = z.object({
  consumerId: z.string(),
  secretName: z.string().regex(NAME_PATTERN, "Name a secret of this project"),
  alias: z
    .string()
    .regex(NAME_PATTERN, "The variable name must use uppercase letters, digits and underscores (^[A-Z_][A-Z0-9_]*$)")
    .max(256)
    .nullish(),
});

export async function attachSecret(actor: Actor | null, raw: z.input<typeof attachInput>) {
  const data = parseInput(attachInput, raw);
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

// By name; `page` (GraphQL) takes at most `first` after the consumer named `after`, none takes all.
export async function listConsumers(actor: Actor | null, projectId: string, page?: { first: number; after?: string | null }) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const rows = await db().consumer.findMany({
    where: { projectId: access.project.id, ...(page?.after ? { name: { gt: page.after } } : {}) },
    select: consumerSelect,
    orderBy: { name: "asc" },
    take: page ? Math.max(1, Math.min(page.first, 200)) : undefined,
  });
  return rows.map(toConsumerDto);
}

export async function getConsumerByName(actor: Actor | null, projectId: string, name: string) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  const row = await db().consumer.findUnique({ where: { projectId_name: { projectId: access.project.id, name } }, select: consumerSelect });
  return row ? toConsumerDto(row) : null;
}

// The blast radius of a rotation or delete: which consumers use a secret, and when each last
// resolved it. By consumer name; `page` (GraphQL) takes at most `first` after the consumer named
// `after`, none (dashboard) takes all.
export async function secretConsumers(actor: Actor | null, secretId: string, page?: { first: number; after?: string | null }) {
  const secret = isUuid(secretId) ? await db().secret.findUnique({ where: { id: secretId }, select: { projectId: true } }) : null;
  if (!secret) return [];
  assertCan(await accessToRowProject(actor, secret.projectId, "Secret"), "secrets:read");
  const rows = await db().attachment.findMany({
    where: { secretId, ...(page?.after ? { consumer: { name: { gt: page.after } } } : {}) },
    select: { alias: true, secretName: true, lastResolvedAt: true, consumer: { select: { id: true, name: true, kind: true } } },
    orderBy: { consumer: { name: "asc" } },
    take: page ? Math.max(1, Math.min(page.first, 200)) : undefined,
  });
  return rows.map((r) => ({ consumer: r.consumer, variable: r.alias ?? r.secretName, lastResolvedAt: r.lastResolvedAt }));
}

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
