import "server-only";
import type { Actor } from "../auth/actor";
import { auditRow } from "../audit/record";
import { assertCan } from "../authz";
import { sql } from "../db/client";
import { retryOnConflict } from "../transient-errors";
import { AppError, notFound, unauthenticated } from "../errors";
import { projectAccess } from "../projects/access";
import { findSecretsForReading, readCurrentValues, refOf } from "../storage";
import { isUuid } from "../validation";
import { environmentPlan, type ConsumerRow, type EnvironmentPlanEntry } from "./consumer-dto";
import { deniedVariableReason } from "./denied-variables.mjs";
import { placeholderNames, renderTemplate } from "./placeholders";

// The one place values leave the server: the environment of one or more consumers and/or secrets
// chosen by id or name, for an API token holding secrets:inject, in its own project. Values are
// read now (a rotation is picked up by the next resolution); the audit row is written before
// anything is returned, and if it cannot be written nothing is. All or nothing: any unknown,
// disallowed, deleted or unreadable secret fails the call, naming the secrets, never a value.
//
// Precedence when several sources set one variable: consumers in the order given, then the chosen
// secrets; the later source wins (within a consumer a template wins over an attachment), and every
// clash is reported.
const LAST_USE_EVERY_MS = 10_000;

export interface Selection {
  consumers: string[];
  secretIds: string[];
  secretNames: string[];
}

const AD_HOC = "ad hoc";

export async function resolveSelection(actor: Actor | null, selection: Selection) {
  if (!actor) throw unauthenticated();
  if (actor.kind !== "token") throw new AppError("FORBIDDEN", "Only an API token with secrets:inject can resolve values");
  const access = await projectAccess(actor, { id: actor.projectId });
  assertCan(access, "secrets:inject");
  const projectId = access.project.id;
  const consumerNames = [...new Set(selection.consumers)];
  if (consumerNames.length === 0 && selection.secretIds.length === 0 && selection.secretNames.length === 0) {
    throw new AppError("BAD_USER_INPUT", "Choose at least one consumer or secret to resolve");
  }

  // Consumers, in the order asked for.
  const consumerRows = consumerNames.length ? await findConsumersForResolving(projectId, consumerNames) : [];
  const consumers = consumerNames.map((name) => {
    const row = consumerRows.find((c) => c.name === name);
    if (!row) throw notFound(`Consumer ${name}`);
    return row;
  });

  // Secrets chosen directly (ids or names of this project): the variable is the secret's name.
  const ids = [...new Set(selection.secretIds)];
  const byId = ids.length ? await sql<{ id: string; name: string }>`
        SELECT id, name FROM "Secret" WHERE "projectId" = ${projectId}::uuid AND id = ANY(${ids.filter(isUuid)}::uuid[])` : [];
  const missingIds = ids.filter((id) => !byId.some((s) => s.id === id));
  if (missingIds.length) throw new AppError("NOT_FOUND", `Secret(s) not found: ${missingIds.join(", ")}`, { missing: missingIds });
  const names = [...new Set(selection.secretNames)];
  const byName = names.length ? await sql<{ name: string }>`
        SELECT name FROM "Secret" WHERE "projectId" = ${projectId}::uuid AND name = ANY(${names}::text[])` : [];
  const missingNames = names.filter((n) => !byName.some((s) => s.name === n));
  if (missingNames.length) throw new AppError("NOT_FOUND", `Secret(s) not found: ${missingNames.join(", ")}`, { missing: missingNames });
  const chosen = [...new Set([...byId.map((s) => s.name), ...names])];
  const adHoc = chosen.length > 0;

  // Each layer's plan, checked on its own with the messages users know from single consumers.
  const layers: { label: string; entries: EnvironmentPlanEntry[]; sources: Map<string, string[]>; conflicts: { variable: string; sources: string[] }[] }[] = [];
  const needed = new Set<string>(chosen);
  for (const consumer of consumers) {
    const { entries, conflicts, sources } = environmentPlan(consumer);
    // Consumers saved before the deny-list existed: refuse rather than hand a runner NODE_OPTIONS.
    const denied = entries.map((e) => deniedVariableReason(e.variable)).filter((r): r is string => r !== null);
    if (denied.length) throw new AppError("BAD_USER_INPUT", `${consumer.name} cannot be resolved: ${denied.join("; ")}. Rename or remove these variables.`);
    const deleted = consumer.attachments.filter((a) => a.secretId === null).map((a) => a.secretName);
    if (deleted.length) {
      throw new AppError("NOT_FOUND", `${consumer.name} uses deleted secret(s): ${deleted.join(", ")}. Create them again or detach them.`, { missing: deleted });
    }
    for (const a of consumer.attachments) needed.add(a.secretName);
    for (const t of consumer.templates) for (const n of placeholderNames(t.template)) needed.add(n);
    layers.push({ label: consumer.name, entries, sources, conflicts });
  }
  const denied = chosen.map((n) => deniedVariableReason(n)).filter((r): r is string => r !== null);
  if (denied.length) throw new AppError("BAD_USER_INPUT", `Cannot resolve: ${denied.join("; ")}`);
  if (adHoc) {
    layers.push({
      label: AD_HOC,
      entries: chosen.map((name) => ({ variable: name, from: { secretName: name } })),
      sources: new Map(chosen.map((name) => [name, [`secret ${name}`]])),
      conflicts: [],
    });
  }

  // With their sealed current values, in one statement; nothing is decrypted before the checks.
  const { secrets, sealed } = await findSecretsForReading(projectId, [...needed]);
  const known = new Set(secrets.map((s) => s.name));
  for (const consumer of consumers) {
    const attached = new Set(consumer.attachments.map((a) => a.secretName));
    const referenced = consumer.templates.flatMap((t) => placeholderNames(t.template));
    const unknown = referenced.filter((n) => !known.has(n));
    const disallowed = consumer.allowAllSecrets ? [] : referenced.filter((n) => known.has(n) && !attached.has(n));
    if (unknown.length || disallowed.length) {
      const parts = [
        unknown.length ? `unknown: ${[...new Set(unknown)].join(", ")}` : "",
        disallowed.length ? `not attached to ${consumer.name}: ${[...new Set(disallowed)].join(", ")}` : "",
      ].filter(Boolean);
      throw new AppError("BAD_USER_INPUT", `Placeholders that cannot be resolved (${parts.join("; ")})`, { unknown, disallowed });
    }
  }

  const buffers = await readCurrentValues(secrets.map(refOf), sealed);
  const values = new Map(secrets.map((s, i) => [s.name, buffers[i].toString("utf8")]));
  buffers.forEach((b) => b.fill(0));
  const merged = new Map<string, string>();
  for (const layer of layers) {
    for (const e of layer.entries) merged.set(e.variable, "template" in e.from ? renderTemplate(e.from.template, values) : values.get(e.from.secretName)!);
  }
  const variables = [...merged].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const conflicts = mergedConflicts(layers);

  // Last use is bookkeeping, written at most once per LAST_USE_EVERY_MS per attachment, in id order,
  // skipping rows another resolution is writing right now (it records the same moment): concurrent
  // resolutions of one consumer never wait on or deadlock over each other. The audit row is always
  // written before any value leaves, in the same single statement (atomic, one round trip).
  const now = new Date();
  const stale = new Date(now.getTime() - LAST_USE_EVERY_MS);
  const audit = auditRow(actor, {
    action: "environment.resolve",
    projectId,
    details: {
      consumer: layers.map((l) => l.label).join(" + "),
      ...(layers.length > 1 ? { consumers: consumers.map((c) => c.name) } : {}),
      ...(adHoc ? { chosen } : {}),
      tokenId: actor.tokenId,
      token: actor.tokenName,
      variables: variables.map((v) => v.name),
      secrets: secrets.map((s) => s.name),
    },
  });
  const consumerIds = consumers.map((c) => c.id);
  await retryOnConflict(
    () => sql`
      WITH touched AS (
        UPDATE "Attachment" SET "lastResolvedAt" = ${now}
        WHERE id IN (
          SELECT id FROM "Attachment"
          WHERE "consumerId" = ANY(${consumerIds}::uuid[]) AND ("lastResolvedAt" IS NULL OR "lastResolvedAt" < ${stale})
          ORDER BY id FOR UPDATE SKIP LOCKED)
        RETURNING 1)
      INSERT INTO "AuditEvent" ("projectId", "actorUserId", "actorTokenId", "actorLabel", action, details, client)
      VALUES (${audit.projectId}::uuid, ${audit.actorUserId}::uuid, ${audit.actorTokenId}::uuid, ${audit.actorLabel}, ${audit.action},
              ${JSON.stringify(audit.details)}::jsonb, ${audit.client})`,
  );
  return { consumers: consumers.map((c) => ({ id: c.id, name: c.name, kind: c.kind })), variables, conflicts };
}

type ResolvingConsumer = Pick<ConsumerRow, "id" | "name" | "kind" | "allowAllSecrets"> & {
  templates: Pick<ConsumerRow["templates"][number], "variable" | "template">[];
  attachments: Pick<ConsumerRow["attachments"][number], "secretName" | "secretId" | "alias">[];
};

// The consumers with their templates and attachments, in one statement.
function findConsumersForResolving(projectId: string, names: string[]) {
  return sql<ResolvingConsumer>`
    SELECT c.id, c.name, c.kind::text AS kind, c."allowAllSecrets",
           coalesce((SELECT json_agg(json_build_object('variable', t.variable, 'template', t.template) ORDER BY t.variable)
                     FROM "ConsumerTemplate" t WHERE t."consumerId" = c.id), '[]') AS templates,
           coalesce((SELECT json_agg(json_build_object('secretName', a."secretName", 'secretId', a."secretId", 'alias', a.alias) ORDER BY a."secretName")
                     FROM "Attachment" a WHERE a."consumerId" = c.id), '[]') AS attachments
    FROM "Consumer" c
    WHERE c."projectId" = ${projectId}::uuid AND c.name = ANY(${names}::text[])`;
}

// One layer: its own clashes as it reports them alone. Several: every variable set by more than one
// source, the sources named "<layer>: <source>" in precedence order (the last one wins).
function mergedConflicts(layers: { label: string; sources: Map<string, string[]>; conflicts: { variable: string; sources: string[] }[] }[]) {
  if (layers.length === 1) return layers[0].conflicts;
  const all = new Map<string, string[]>();
  for (const layer of layers) {
    for (const [variable, sources] of layer.sources) all.set(variable, [...(all.get(variable) ?? []), ...sources.map((s) => `${layer.label}: ${s}`)]);
  }
  return [...all]
    .filter(([, s]) => s.length > 1)
    .map(([variable, sources]) => ({ variable, sources }))
    .sort((a, b) => (a.variable < b.variable ? -1 : 1));
}

export async function resolveEnvironment(actor: Actor | null, consumerName: string) {
  const { consumers, variables, conflicts } = await resolveSelection(actor, { consumers: [consumerName], secretIds: [], secretNames: [] });
  return { consumer: consumers[0], variables, conflicts };
}
