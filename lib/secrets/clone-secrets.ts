import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAuditMany } from "../audit/record";
import { assertCan, cloneKeepsValuesInReach, type ProjectAccess } from "../authz";
import { db } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { env } from "../env";
import { readCurrentValues, referencePathFor, refOf, removeValue, undoQuietly, writeValue, type StoredVersionFields, type ValueRef, type Written } from "../storage";
import { envVarProblem } from "../storage/env-vars";
import { parseInput } from "../validation";
import { secretSelect, toSecretDto } from "./dto";
import { secretNameSchema } from "./inputs";
import { actorUserId, isUniqueViolation, loadSecretForActor } from "./shared";

const input = z
  .object({
    sourceProjectSlug: z.string({ error: "Source project is required" }).min(1, "Source project is required"),
    targetProjectSlug: z.string({ error: "Target project is required" }).min(1, "Target project is required"),
    names: z.array(secretNameSchema).max(10_000, "Clone at most 10,000 secrets at once").nullish(),
    all: z.boolean().nullish(),
    overwrite: z.boolean().nullish(),
    dryRun: z.boolean().nullish(),
  })
  .refine((d) => Boolean(d.all) !== Boolean(d.names?.length), "Choose the secrets to clone (names) or all of them (all), not both");

// See cloneKeepsValuesInReach: refusals name the reason.
function assertCloneKeepsValuesFromReach(source: ProjectAccess, target: ProjectAccess) {
  if (cloneKeepsValuesInReach(source.role, target.role)) return;
  throw new AppError(
    "FORBIDDEN",
    `You are ${source.role === "EDITOR" ? "an editor" : "a viewer"} of ${source.project.slug} but an admin of ${target.project.slug}: ` +
      `a clone there would let you read values you cannot read in ${source.project.slug}. Clone into a project where you are an editor, or ask an admin of ${source.project.slug} to clone.`,
    { field: "targetProjectSlug", reason: "ROLE_ABOVE_SOURCE" },
  );
}

export type CloneOutcome = "CREATED" | "OVERWRITTEN" | "REFUSED";
export interface CloneResult {
  name: string;
  outcome: CloneOutcome;
  reason: string | null;
  targetSecretId: string | null;
}

// Copies secrets into another project in one transaction: all of them or none. Values are
// re-encrypted under the target's binding. Answers per secret what was (or, when refused or in a
// dry run, would be) created, overwritten or refused, and why.
export async function cloneSecrets(actor: Actor | null, raw: z.input<typeof input>) {
  const data = parseInput(input, raw);
  const source = await projectAccess(actor, { slug: data.sourceProjectSlug });
  assertCan(source, "secrets:manage");
  const target = await projectAccess(actor, { slug: data.targetProjectSlug });
  assertCan(target, "secrets:manage");
  if (source.project.id === target.project.id) {
    throw new AppError("BAD_USER_INPUT", "Choose a target project other than the source", { field: "targetProjectSlug" });
  }
  assertCloneKeepsValuesFromReach(source, target);

  const wanted = data.all ? undefined : [...new Set(data.names ?? [])];
  const sources = await db().secret.findMany({
    where: { projectId: source.project.id, ...(wanted ? { name: { in: wanted } } : {}) },
    select: { id: true, projectId: true, name: true, description: true, type: true, metadata: true, storage: true, referencePath: true, hint: true, currentVersion: true },
    orderBy: { name: "asc" },
  });
  const existing = new Map(
    (
      await db().secret.findMany({
        where: { projectId: target.project.id, name: { in: sources.map((s) => s.name) } },
        select: { id: true, name: true, currentVersion: true, storage: true, referencePath: true, versions: { select: { version: true, ssmVersion: true }, orderBy: { version: "desc" }, take: 1 } },
      })
    ).map((s) => [s.name, s]),
  );

  const found = new Set(sources.map((s) => s.name));
  const results: CloneResult[] = [
    ...(wanted ?? [])
      .filter((n) => !found.has(n))
      .map((name) => ({ name, outcome: "REFUSED" as const, reason: "No secret with this name in the source project", targetSecretId: null })),
    ...sources.map((s): CloneResult => {
      // An ENV secret's reference is copied: the target project must be allowed that variable.
      if (s.storage === "ENV" && envVarProblem(s.referencePath, target.project)) {
        return { name: s.name, outcome: "REFUSED", reason: `${target.project.slug} may not use the server environment variable ${s.referencePath}`, targetSecretId: null };
      }
      const clash = existing.get(s.name);
      if (!clash) return { name: s.name, outcome: "CREATED", reason: null, targetSecretId: null };
      return data.overwrite
        ? { name: s.name, outcome: "OVERWRITTEN", reason: `Becomes version ${clash.currentVersion + 1}`, targetSecretId: clash.id }
        : { name: s.name, outcome: "REFUSED", reason: "A secret with this name already exists in the target project", targetSecretId: clash.id };
    }),
  ].sort((a, b) => (a.name < b.name ? -1 : 1));

  const refused = results.some((r) => r.outcome === "REFUSED");
  if (refused || data.dryRun || sources.length === 0) return { applied: false, results };

  // Values of ENV secrets stay in the server environment: only the reference is copied.
  const valued = sources.filter((s) => s.storage !== "ENV");
  const read = await readCurrentValues(valued.map(refOf));
  const values = new Map(valued.map((s, i) => [s.id, read[i]]));
  const userId = actorUserId(actor);
  const resultByName = new Map(results.map((r) => [r.name, r]));
  const plans = sources.map((s) => {
    const clash = existing.get(s.name);
    const secretId = clash?.id ?? randomUUID();
    const version = clash ? clash.currentVersion + 1 : 1;
    const referencePath = referencePathFor(s.storage, target.project, s.name, s.referencePath);
    resultByName.get(s.name)!.targetSecretId = secretId;
    return {
      s,
      clash,
      ref: { projectId: target.project.id, secretId, secretName: s.name, version, storage: s.storage, referencePath },
      previousSsmVersion: clash?.storage === "SSM" && s.storage === "SSM" ? (clash.versions[0]?.ssmVersion ?? null) : null,
    };
  });
  const created = plans.filter((p) => !p.clash);
  const overwritten = plans.filter((p) => p.clash);

  // Each insert and the update is one statement over arrays of the columns: Prisma's createMany of
  // hundreds of rows costs a hundred milliseconds or more per table.
  const writes: { written: Written; referencePath: string | null }[] = [];
  try {
    await db().$transaction(
      async (tx) => {
        // The rows first: a name taken meanwhile, or a target secret changed meanwhile, fails here,
        // before anything is written outside the database.
        if (created.length) {
          await tx.$executeRaw`
            INSERT INTO "Secret" (id, "projectId", name, description, type, metadata, storage, "referencePath", hint, "currentVersion", "createdById", "updatedById", "updatedAt")
            SELECT x.id, ${target.project.id}::uuid, x.name, x.description, x.type, x.metadata::jsonb, x.storage::"Storage", x."referencePath", x.hint, 1,
                   ${userId}::uuid, ${userId}::uuid, CURRENT_TIMESTAMP
            FROM unnest(${created.map((p) => p.ref.secretId)}::uuid[], ${created.map((p) => p.s.name)}::text[], ${created.map((p) => p.s.description)}::text[],
                        ${created.map((p) => p.s.type)}::text[], ${created.map((p) => JSON.stringify(p.s.metadata ?? {}))}::text[],
                        ${created.map((p) => p.s.storage)}::text[], ${created.map((p) => p.ref.referencePath)}::text[], ${created.map((p) => p.s.hint)}::text[])
              AS x(id, name, description, type, metadata, storage, "referencePath", hint)`;
        }
        if (overwritten.length) {
          // Optimistic: each target secret must still be at the version the plan was made from.
          const count = await tx.$executeRaw`
            UPDATE "Secret" AS t
            SET description = x.description, type = x.type, metadata = x.metadata::jsonb, storage = x.storage::"Storage", "referencePath" = x."referencePath",
                hint = x.hint, "currentVersion" = x.expected + 1, "updatedById" = ${userId}::uuid, "updatedAt" = CURRENT_TIMESTAMP
            FROM unnest(${overwritten.map((p) => p.ref.secretId)}::uuid[], ${overwritten.map((p) => p.clash!.currentVersion)}::int[],
                        ${overwritten.map((p) => p.s.description)}::text[], ${overwritten.map((p) => p.s.type)}::text[],
                        ${overwritten.map((p) => JSON.stringify(p.s.metadata ?? {}))}::text[], ${overwritten.map((p) => p.s.storage)}::text[],
                        ${overwritten.map((p) => p.ref.referencePath)}::text[], ${overwritten.map((p) => p.s.hint)}::text[])
              AS x(id, expected, description, type, metadata, storage, "referencePath", hint)
            WHERE t.id = x.id AND t."currentVersion" = x.expected`;
          if (count !== overwritten.length) throw new AppError("CONFLICT", "A secret in the target project changed during the clone; nothing was cloned");
        }
        const versions: { ref: ValueRef; fields: StoredVersionFields }[] = [];
        for (const p of plans) {
          const written = await writeValue(p.ref, values.get(p.s.id) ?? null, { previousSsmVersion: p.previousSsmVersion });
          writes.push({ written, referencePath: p.ref.referencePath });
          versions.push({ ref: p.ref, fields: written.fields });
        }
        await tx.$executeRaw`
          INSERT INTO "SecretVersion" (id, "secretId", version, storage, ciphertext, "wrappedKey", "keyId", "ssmVersion", "createdById")
          SELECT gen_random_uuid(), x.sid, x.ver, x.storage::"Storage", x.ciphertext, x."wrappedKey", x."keyId", x."ssmVersion", ${userId}::uuid
          FROM unnest(${versions.map((v) => v.ref.secretId)}::uuid[], ${versions.map((v) => v.ref.version)}::int[], ${versions.map((v) => v.ref.storage)}::text[],
                      ${versions.map((v) => v.fields.ciphertext ?? null)}::bytea[], ${versions.map((v) => v.fields.wrappedKey ?? null)}::bytea[],
                      ${versions.map((v) => v.fields.keyId ?? null)}::text[], ${versions.map((v) => v.fields.ssmVersion ?? null)}::bigint[])
            AS x(sid, ver, storage, ciphertext, "wrappedKey", "keyId", "ssmVersion")`;
        // One row a secret in the target, and the summary in the source.
        await recordAuditMany(tx, actor, [
          ...results.map((r) => ({
            action: "secret.clone",
            projectId: target.project.id,
            secretId: r.targetSecretId,
            secretName: r.name,
            details: { from: source.project.slug, outcome: r.outcome },
          })),
          {
            action: "secrets.clone_out",
            projectId: source.project.id,
            details: { to: target.project.slug, count: results.length, names: results.map((r) => r.name) },
          },
        ]);
      },
      { timeout: 60_000 + env().VAULT_SSM_DEADLINE_MS },
    );
  } catch (error) {
    for (const w of writes) await undoQuietly(w.written, w.referencePath, "clone did not commit");
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "A secret with one of these names was created in the target project during the clone; nothing was cloned");
    }
    throw error;
  } finally {
    for (const v of values.values()) v.fill(0);
  }
  // Target secrets that moved away from SSM: their old parameters go once the clone has committed.
  for (const { clash, s } of plans) {
    if (clash?.storage === "SSM" && s.storage !== "SSM") {
      await removeValue(clash).catch(() => db().ssmOrphan.create({ data: { parameterName: clash.referencePath!, reason: "overwritten by a clone" } }));
    }
  }
  return { applied: true, results };
}

const singleInput = z.object({
  id: z.string({ error: "Secret id is required" }),
  targetProjectSlug: z.string({ error: "Target project is required" }).min(1, "Target project is required"),
  overwrite: z.boolean().nullish(),
});

// One secret into another project: CONFLICT on a name clash unless overwrite is asked for.
export async function cloneSecret(actor: Actor | null, raw: z.input<typeof singleInput>) {
  const data = parseInput(singleInput, raw);
  const { secret, access } = await loadSecretForActor(actor, data.id);
  const { results } = await cloneSecrets(actor, {
    sourceProjectSlug: access.project.slug,
    targetProjectSlug: data.targetProjectSlug,
    names: [secret.name],
    overwrite: data.overwrite,
  });
  const result = results[0];
  if (result.outcome === "REFUSED") {
    throw new AppError("CONFLICT", `${secret.name} already exists in ${data.targetProjectSlug}; clone with overwrite to make it a new version there`);
  }
  return toSecretDto(await db().secret.findUniqueOrThrow({ where: { id: result.targetSecretId! }, select: secretSelect }));
}
