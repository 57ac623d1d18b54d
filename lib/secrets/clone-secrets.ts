import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit, recordAuditMany } from "../audit/record";
import { assertCan } from "../authz";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { prepareValue, readCurrentValues } from "../storage";
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

  const wanted = data.all ? undefined : [...new Set(data.names ?? [])];
  const sources = await db().secret.findMany({
    where: { projectId: source.project.id, ...(wanted ? { name: { in: wanted } } : {}) },
    select: { id: true, name: true, description: true, type: true, metadata: true, storage: true, hint: true, currentVersion: true },
    orderBy: { name: "asc" },
  });
  const existing = new Map(
    (
      await db().secret.findMany({
        where: { projectId: target.project.id, name: { in: sources.map((s) => s.name) } },
        select: { id: true, name: true, currentVersion: true },
      })
    ).map((s) => [s.name, s]),
  );

  const found = new Set(sources.map((s) => s.name));
  const results: CloneResult[] = [
    ...(wanted ?? [])
      .filter((n) => !found.has(n))
      .map((name) => ({ name, outcome: "REFUSED" as const, reason: "No secret with this name in the source project", targetSecretId: null })),
    ...sources.map((s): CloneResult => {
      const clash = existing.get(s.name);
      if (!clash) return { name: s.name, outcome: "CREATED", reason: null, targetSecretId: null };
      return data.overwrite
        ? { name: s.name, outcome: "OVERWRITTEN", reason: `Becomes version ${clash.currentVersion + 1}`, targetSecretId: clash.id }
        : { name: s.name, outcome: "REFUSED", reason: "A secret with this name already exists in the target project", targetSecretId: clash.id };
    }),
  ].sort((a, b) => (a.name < b.name ? -1 : 1));

  const refused = results.some((r) => r.outcome === "REFUSED");
  if (refused || data.dryRun || sources.length === 0) return { applied: false, results };

  const values = await readCurrentValues(
    sources.map((s) => ({ projectId: source.project.id, secretId: s.id, secretName: s.name, version: s.currentVersion, storage: s.storage })),
  );
  const userId = actorUserId(actor);
  const resultByName = new Map(results.map((r) => [r.name, r]));
  const newSecrets: Prisma.SecretCreateManyInput[] = [];
  const newVersions: Prisma.SecretVersionCreateManyInput[] = [];
  const overwrites: { id: string; from: number; data: Prisma.SecretUpdateManyMutationInput }[] = [];
  sources.forEach((s, i) => {
    const clash = existing.get(s.name);
    const secretId = clash?.id ?? randomUUID();
    const version = clash ? clash.currentVersion + 1 : 1;
    const stored = prepareValue({ projectId: target.project.id, secretId, secretName: s.name, version, storage: s.storage }, values[i]);
    values[i].fill(0);
    newVersions.push({ secretId, version, storage: s.storage, ...stored, createdById: userId });
    const copied = { description: s.description, type: s.type, metadata: s.metadata ?? {}, hint: s.hint, updatedById: userId };
    if (clash) overwrites.push({ id: clash.id, from: clash.currentVersion, data: { ...copied, currentVersion: version, updatedAt: new Date() } });
    else newSecrets.push({ id: secretId, projectId: target.project.id, name: s.name, storage: s.storage, currentVersion: 1, createdById: userId, ...copied });
    resultByName.get(s.name)!.targetSecretId = secretId;
  });

  try {
    await db().$transaction(async (tx) => {
      await tx.secret.createMany({ data: newSecrets });
      for (const o of overwrites) {
        const { count } = await tx.secret.updateMany({ where: { id: o.id, currentVersion: o.from }, data: o.data });
        if (count === 0) throw new AppError("CONFLICT", "A secret in the target project changed during the clone; nothing was cloned");
      }
      await tx.secretVersion.createMany({ data: newVersions });
      await recordAuditMany(
        tx,
        actor,
        results.map((r) => ({
          action: "secret.clone",
          projectId: target.project.id,
          secretId: r.targetSecretId,
          secretName: r.name,
          details: { from: source.project.slug, outcome: r.outcome },
        })),
      );
      await recordAudit(tx, actor, {
        action: "secrets.clone_out",
        projectId: source.project.id,
        details: { to: target.project.slug, count: results.length, names: results.slice(0, 100).map((r) => r.name) },
      });
    }, { timeout: 60_000 });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "A secret with one of these names was created in the target project during the clone; nothing was cloned");
    }
    throw error;
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
