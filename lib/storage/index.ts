import "server-only";
import { hintFor } from "../crypto/hint";
import { db } from "../db/client";
import type { Storage } from "../db/generated/enums";
import { env } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { openDatabaseValues, sealDatabaseValue, type SealedValues } from "./database";
import { assertEnvVarAllowed, envStorageConfigured, readEnvVar, type EnvAllowlisted } from "./env-vars";
import { deleteParameter, getParameter, getParameters, parameterName, putParameter, ssmConfigured } from "./ssm";

// Where a value lives: the database (AES-256-GCM envelope in the version row), SSM Parameter Store
// (SecureString; the row keeps the parameter name and version) or a server environment variable
// (the row keeps its name). Services call only this module.

export interface ValueRef {
  projectId: string;
  secretId: string;
  secretName: string;
  version: number;
  storage: Storage;
  // SSM parameter name or environment variable name; null for DATABASE.
  referencePath: string | null;
}

// The current value's reference for a secret row.
export const refOf = (s: { id: string; projectId: string; name: string; currentVersion: number; storage: Storage; referencePath: string | null }): ValueRef => ({
  projectId: s.projectId,
  secretId: s.id,
  secretName: s.name,
  version: s.currentVersion,
  storage: s.storage,
  referencePath: s.referencePath,
});

// Columns of a SecretVersion row that locate or carry the value.
export interface StoredVersionFields {
  ciphertext?: Uint8Array<ArrayBuffer> | null;
  wrappedKey?: Uint8Array<ArrayBuffer> | null;
  keyId?: string | null;
  ssmVersion?: bigint | null;
}

export interface Written {
  fields: StoredVersionFields;
  // Reverts a write made outside the database when the database transaction does not commit.
  undo?: () => Promise<void>;
}

// ENV is available only in a project the operator has allowed variables for.
export function availableStorages(project: EnvAllowlisted = { envAllowlist: [] }): Storage[] {
  return ["DATABASE", ...(ssmConfigured() ? (["SSM"] as const) : []), ...(envStorageConfigured(project) ? (["ENV"] as const) : [])];
}

// SSM is the default in production when it is configured; the database otherwise.
export const defaultStorage = (): Storage => (env().NODE_ENV === "production" && ssmConfigured() ? "SSM" : "DATABASE");

export function assertStorageAvailable(storage: Storage, project: EnvAllowlisted) {
  if (!availableStorages(project).includes(storage)) {
    const why =
      storage === "SSM"
        ? "set AWS_REGION to enable SSM Parameter Store"
        : "the operator allows server environment variables per project (npm run vault -- project env-allow)";
    throw new AppError("BAD_USER_INPUT", `Storage location ${storage} is not available on this vault: ${why}`, { field: "storage" });
  }
}

// The reference path a new value will have, validated (ENV names must be allowed).
export function referencePathFor(storage: Storage, project: EnvAllowlisted & { id: string }, secretName: string, envVar?: string | null): string | null {
  assertStorageAvailable(storage, project);
  if (storage === "SSM") return parameterName(project.id, secretName);
  if (storage === "ENV") return assertEnvVarAllowed(envVar, project);
  return null;
}

// Writes a value (nothing for ENV) for a new version. `previousSsmVersion`: the parameter already
// exists at that version, so undoing restores it rather than deleting the parameter.
export async function writeValue(ref: ValueRef, value: Buffer | null, opts: { previousSsmVersion?: bigint | null } = {}): Promise<Written> {
  if (ref.storage === "ENV") return { fields: {} };
  if (!value) throw new AppError("BAD_USER_INPUT", "Secret value is required", { field: "value" });
  if (ref.storage === "DATABASE") return { fields: sealDatabaseValue(ref, value) };
  const name = ref.referencePath!;
  const previous = opts.previousSsmVersion ?? null;
  const ssmVersion = await putParameter(name, value, { create: previous === null });
  return {
    fields: { ssmVersion },
    undo:
      previous === null
        ? () => deleteParameter(name)
        : async () => {
            const prior = await getParameter(name, previous);
            await putParameter(name, prior.value, { create: false });
          },
  };
}

// Runs an undo; if it fails, records the parameter for `npm run vault -- ssm reconcile`.
export async function undoQuietly(written: Written | undefined, parameter: string | null, reason: string) {
  if (!written?.undo) return;
  try {
    await written.undo();
  } catch {
    log.error("ssm.undo_failed", { parameter, reason });
    if (parameter) await db().ssmOrphan.create({ data: { parameterName: parameter, reason } }).catch(() => {});
  }
}

// Removes a value that lives outside the database (SSM parameter). Database and ENV: nothing to do.
export async function removeValue(ref: Pick<ValueRef, "storage" | "referencePath">) {
  if (ref.storage === "SSM" && ref.referencePath) await deleteParameter(ref.referencePath);
}

// A project's secrets by name, with what readCurrentValues needs to read their current values
// (the database ones come in the same statement, still sealed). For resolutions: one round trip.
export { findSecretsForReading } from "./database";

// Reads the current values of many secrets at once, in the order given: database values decrypted
// in one query, SSM values 10 per call, ENV from the server environment. Fails closed: one value
// that cannot be read fails the whole call, naming the secret or parameter, never a value.
// `prefetched`: sealed values read with the secret rows (findSecretsForReading), so the database
// values need no second query.
export async function readCurrentValues(refs: ValueRef[], prefetched?: SealedValues): Promise<Buffer[]> {
  const out: Buffer[] = new Array(refs.length);
  const byStorage = (s: Storage) => refs.map((r, i) => [r, i] as const).filter(([r]) => r.storage === s);

  const database = byStorage("DATABASE");
  (await openDatabaseValues(database.map(([r]) => r), prefetched)).forEach((v, k) => (out[database[k][1]] = v));

  const ssm = byStorage("SSM");
  if (ssm.length) {
    const values = await getParameters(ssm.map(([r]) => r.referencePath!));
    values.forEach((v, k) => (out[ssm[k][1]] = v.value));
    await recordSeenSsmVersions(ssm.map(([r], k) => ({ ref: r, seen: values[k].version, hint: hintFor("SSM", values[k].value) })));
  }

  const fromEnv = byStorage("ENV");
  if (fromEnv.length) {
    const projects = await db().project.findMany({ where: { id: { in: [...new Set(fromEnv.map(([r]) => r.projectId))] } }, select: { id: true, envAllowlist: true } });
    const allowlists = new Map(projects.map((p) => [p.id, p]));
    for (const [r, i] of fromEnv) out[i] = readEnvVar(r.referencePath!, r.secretName, allowlists.get(r.projectId) ?? { envAllowlist: [] });
  }
  return out;
}

// Reads ask SSM for the latest version. A parameter version the vault did not write (rotated in
// the console) becomes a new vault version with a fresh hint and an audit row, so the table's
// version and hint are the value's; a version row from before versions were recorded just records
// it. One statement for the whole batch. Only while the version read is still the secret's current
// one: a concurrent read waits on the row and then finds it moved on, and the vault's own writes
// hold the row from before they put the parameter until they commit.
async function recordSeenSsmVersions(seen: { ref: ValueRef; seen: bigint; hint: string }[]) {
  await db().$executeRaw`
    WITH x AS (
      SELECT * FROM unnest(${seen.map((s) => s.ref.secretId)}::uuid[], ${seen.map((s) => s.ref.version)}::int[],
                           ${seen.map((s) => s.seen)}::bigint[], ${seen.map((s) => s.hint)}::text[]) AS x(sid, ver, seen, hint)),
    bumped AS (
      UPDATE "Secret" AS s SET "currentVersion" = x.ver + 1, hint = x.hint, "updatedAt" = now(), "updatedById" = NULL
      FROM x JOIN "SecretVersion" AS sv ON sv."secretId" = x.sid AND sv.version = x.ver
      WHERE s.id = x.sid AND s."currentVersion" = x.ver AND s.storage = 'SSM'
        AND sv."ssmVersion" IS NOT NULL AND sv."ssmVersion" IS DISTINCT FROM x.seen
      RETURNING s.id, s."projectId", s.name, s."currentVersion" AS version, x.seen, sv."ssmVersion" AS before),
    versions AS (
      INSERT INTO "SecretVersion" (id, "secretId", version, storage, "ssmVersion")
      SELECT gen_random_uuid(), id, version, 'SSM'::"Storage", seen FROM bumped),
    audit AS (
      INSERT INTO "AuditEvent" ("projectId", "actorLabel", action, "secretId", "secretName", details, client)
      SELECT "projectId", 'SSM (changed outside the vault)', 'secret.update', id, name,
             jsonb_build_object('version', version, 'valueChanged', true, 'fields', '[]'::jsonb, 'changedIn', 'SSM',
                                'ssmVersion', seen::text, 'previousSsmVersion', before::text),
             'ssm'
      FROM bumped)
    UPDATE "SecretVersion" AS sv SET "ssmVersion" = x.seen
    FROM x
    WHERE sv."secretId" = x.sid AND sv.version = x.ver AND sv."ssmVersion" IS NULL`;
}
