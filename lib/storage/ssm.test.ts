import { spawn, type ChildProcess } from "node:child_process";
import { DescribeParametersCommand, GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { OPERATOR } from "../auth/actor";
import { setEnvAllowlist } from "../projects/set-env-allowlist";
import { db } from "../db/client";
import { AppError } from "../errors";
import { createSecret } from "../secrets/create-secret";
import { deleteSecret } from "../secrets/delete-secret";
import { updateSecret } from "../secrets/update-secret";
import { cloneSecrets } from "../secrets/clone-secrets";
import { addMember } from "../projects/members";
import { resolveSecrets } from "../consumers/resolve-secrets";
import { getSecret } from "../secrets/get-secret";
import { newTeam, tokenFor } from "../../test/fixtures";
import { readCurrentValues, refOf } from "./index";
import { reconcileSsm } from "./reconcile-ssm";
import { assertFitsTier, resetSsmCallCounts, ssmCallCounts, useSsmEndpoint } from "./ssm";

// Against a real SSM-compatible server (moto). No server is a failure, said loudly, not a skip.
const endpoint = inject("ssmEndpoint");
const raw = new SSMClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });

type Team = Awaited<ReturnType<typeof newTeam>>;
let team: Team;

beforeAll(async () => {
  if (!endpoint) {
    throw new Error("No SSM-compatible server: install moto (`pip install 'moto[server]'`, provides moto_server) or set AWS_ENDPOINT_URL_SSM");
  }
  team = await newTeam();
});

const codeOf = async (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof AppError ? e.code : `${(e as Error).name}: ${(e as Error).message}`));
const secretRow = (id: string) => db().secret.findUniqueOrThrow({ where: { id } });
const valueOf = async (id: string) => (await readCurrentValues([refOf(await secretRow(id))]))[0].toString();
const parameterExists = (name: string) =>
  raw.send(new GetParameterCommand({ Name: name })).then(
    () => true,
    (e) => (e.name === "ParameterNotFound" ? false : Promise.reject(e)),
  );

describe("SSM Parameter Store", () => {
  it("writes a SecureString with the configured KMS key under <prefix>/<project-id>/<name>; the database keeps no value", async () => {
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_BASIC", value: "ssm-value-0123456789", storage: "SSM" });
    const path = `/vault/secrets/${team.project.id}/SSM_BASIC`;
    expect(s).toMatchObject({ storage: "SSM", referencePath: path, hint: "ssm-••••••••6789", version: 1 });
    const described = await raw.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Values: [path] }] }));
    expect(described.Parameters?.[0]).toMatchObject({ Type: "SecureString", KeyId: "alias/vault-test", Version: 1 });
    const stored = await db().secretVersion.findFirstOrThrow({ where: { secretId: s.id }, select: { ciphertext: true, wrappedKey: true, ssmVersion: true } });
    expect(stored).toEqual({ ciphertext: null, wrappedKey: null, ssmVersion: 1n });
    expect(await valueOf(s.id)).toBe("ssm-value-0123456789");
  });

  it("rotation through the vault writes a new parameter version; an out-of-band change is picked up and recorded", async () => {
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_ROTATED", value: "first-value", storage: "SSM" });
    const u = await updateSecret(team.editor.actor, { id: s.id, value: "second-value" });
    expect(u.version).toBe(2);
    expect((await db().secretVersion.findFirstOrThrow({ where: { secretId: s.id, version: 2 } })).ssmVersion).toBe(2n);
    expect(await valueOf(s.id)).toBe("second-value");

    await raw.send(new PutParameterCommand({ Name: s.referencePath!, Value: "changed-in-the-console", Type: "SecureString", Overwrite: true }));
    expect(await valueOf(s.id)).toBe("changed-in-the-console");
    // A new vault version records the parameter version the vault did not write.
    const versions = await db().secretVersion.findMany({ where: { secretId: s.id }, orderBy: { version: "asc" }, select: { version: true, ssmVersion: true } });
    expect(versions).toEqual([{ version: 1, ssmVersion: 1n }, { version: 2, ssmVersion: 2n }, { version: 3, ssmVersion: 3n }]);
    expect(await valueOf(s.id)).toBe("changed-in-the-console");
    expect(await db().secretVersion.count({ where: { secretId: s.id } })).toBe(3);
  });

  it("a value rotated directly in SSM: the next resolution records a new version with a fresh hint, audited, once", async () => {
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_CONSOLE", value: "before-rotation-value", storage: "SSM" });
    expect(s.hint).toBe("befo••••••••alue");
    await raw.send(new PutParameterCommand({ Name: s.referencePath!, Value: "rotated-in-the-console", Type: "SecureString", Overwrite: true }));
    const inject = await tokenFor(team.slug, ["secrets:inject"], team.admin.actor);
    // Concurrent resolutions see the change together; one new version is recorded.
    const envs = await Promise.all([1, 2, 3].map(() => resolveSecrets(inject.actor, { names: ["SSM_CONSOLE"] })));
    for (const env of envs) expect(env.variables).toEqual([{ name: "SSM_CONSOLE", value: "rotated-in-the-console" }]);
    expect(await getSecret(team.viewer.actor, s.id)).toMatchObject({ hint: "rota••••••••sole", version: 2 });
    const versions = await db().secretVersion.findMany({ where: { secretId: s.id }, orderBy: { version: "asc" }, select: { version: true, ssmVersion: true, createdById: true } });
    expect(versions).toEqual([{ version: 1, ssmVersion: 1n, createdById: team.editor.id }, { version: 2, ssmVersion: 2n, createdById: null }]);
    const audit = await db().auditEvent.findMany({ where: { secretId: s.id, action: "secret.update" } });
    expect(audit).toMatchObject([{ actorLabel: "SSM (changed outside the vault)", secretName: "SSM_CONSOLE", details: { version: 2, valueChanged: true, changedIn: "SSM", ssmVersion: "2", previousSsmVersion: "1" } }]);
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain("rota");

    // The vault's own next write goes on from there.
    const updated = await updateSecret(team.editor.actor, { id: s.id, value: "third-value-from-vault", expectedVersion: 2 });
    expect(updated).toMatchObject({ hint: "thir••••••••ault", version: 3 });
    expect(await valueOf(s.id)).toBe("third-value-from-vault");
    expect(await getSecret(team.viewer.actor, s.id)).toMatchObject({ hint: "thir••••••••ault", version: 3 });
  });

  it("refuses values over the tier's limit before calling AWS", async () => {
    resetSsmCallCounts();
    const r = await codeOf(createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_TOO_BIG", value: "x".repeat(4097), storage: "SSM" }));
    expect(r).toBe("BAD_USER_INPUT");
    expect(ssmCallCounts().PutParameterCommand ?? 0).toBe(0);
    expect(await db().secret.count({ where: { projectId: team.project.id, name: "SSM_TOO_BIG" } })).toBe(0);
    expect(() => assertFitsTier(Buffer.alloc(4096))).not.toThrow();
    expect(() => assertFitsTier(Buffer.alloc(8192), "advanced")).not.toThrow();
    expect(() => assertFitsTier(Buffer.alloc(8193), "advanced")).toThrow("advanced tier allows (8 KB)");
  });

  it("reads 100 values with 10 GetParameters calls", async () => {
    const t = await newTeam();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      ids.push((await createSecret(t.editor.actor, { projectSlug: t.slug, name: `BATCH_${i}`, value: `batch-value-${i}`, storage: "SSM" })).id);
    }
    const rows = await Promise.all(ids.map(secretRow));
    resetSsmCallCounts();
    const values = await readCurrentValues(rows.map(refOf));
    expect(ssmCallCounts()).toEqual({ GetParametersCommand: 10 });
    expect(values.map((v) => v.toString())).toEqual(ids.map((_, i) => `batch-value-${i}`));
  });

  it("moves a secret from the database to SSM and back as new versions", async () => {
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "MOVER", value: "moving-value" });
    const toSsm = await updateSecret(team.editor.actor, { id: s.id, storage: "SSM" });
    expect(toSsm).toMatchObject({ storage: "SSM", version: 2, referencePath: `/vault/secrets/${team.project.id}/MOVER` });
    expect(await valueOf(s.id)).toBe("moving-value");
    const back = await updateSecret(team.editor.actor, { id: s.id, storage: "DATABASE" });
    expect(back).toMatchObject({ storage: "DATABASE", version: 3, referencePath: null });
    expect(await valueOf(s.id)).toBe("moving-value");
    expect(await parameterExists(toSsm.referencePath!)).toBe(false);
  });

  it("clones SSM and database secrets: new parameters under the target, then overwrites as new parameter versions", async () => {
    const target = await newTeam();
    await addMember(target.admin.actor, { projectSlug: target.slug, email: team.editor.email, role: "editor" });
    await createSecret(team.editor.actor, { projectSlug: team.slug, name: "CLONED_SSM", value: "cloned-ssm-value", storage: "SSM" });
    await createSecret(team.editor.actor, { projectSlug: team.slug, name: "CLONED_DB", value: "cloned-db-value" });
    const clone = (overwrite: boolean) =>
      cloneSecrets(team.editor.actor, { sourceProjectSlug: team.slug, targetProjectSlug: target.slug, names: ["CLONED_SSM", "CLONED_DB"], overwrite });
    const first = await clone(false);
    expect(first.results.map((r) => r.outcome)).toEqual(["CREATED", "CREATED"]);
    const [db1, ssm1] = first.results.map((r) => r.targetSecretId!);
    expect(await secretRow(ssm1)).toMatchObject({ storage: "SSM", referencePath: `/vault/secrets/${target.project.id}/CLONED_SSM`, currentVersion: 1 });
    expect((await db().secretVersion.findFirstOrThrow({ where: { secretId: ssm1 } })).ssmVersion).toBe(1n);
    expect([await valueOf(ssm1), await valueOf(db1)]).toEqual(["cloned-ssm-value", "cloned-db-value"]);

    const again = await clone(true);
    expect(again.results.map((r) => r.outcome)).toEqual(["OVERWRITTEN", "OVERWRITTEN"]);
    const versions = await db().secretVersion.findMany({ where: { secretId: ssm1 }, orderBy: { version: "asc" }, select: { version: true, ssmVersion: true } });
    expect(versions).toEqual([{ version: 1, ssmVersion: 1n }, { version: 2, ssmVersion: 2n }]);
    expect(await db().secretVersion.findFirstOrThrow({ where: { secretId: db1, version: 2 }, select: { ssmVersion: true } })).toEqual({ ssmVersion: null });
    expect([await valueOf(ssm1), await valueOf(db1)]).toEqual(["cloned-ssm-value", "cloned-db-value"]);
  });

  it("deletes the parameter with the row", async () => {
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_DELETED", value: "v", storage: "SSM" });
    await deleteSecret(team.editor.actor, { id: s.id, confirmName: "SSM_DELETED" });
    expect(await parameterExists(s.referencePath!)).toBe(false);
  });

  it("a create whose database write fails removes the parameter it wrote", async () => {
    await db().$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_ssm_audit() RETURNS trigger AS $$
      BEGIN IF NEW."secretName" = 'SSM_NOT_COMMITTED' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_ssm_audit ON "AuditEvent"`);
    await db().$executeRawUnsafe(`CREATE TRIGGER refuse_ssm_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION refuse_ssm_audit()`);
    try {
      resetSsmCallCounts();
      await expect(createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_NOT_COMMITTED", value: "v", storage: "SSM" })).rejects.toThrow();
      expect(ssmCallCounts()).toMatchObject({ PutParameterCommand: 1, DeleteParameterCommand: 1 });
      expect(await parameterExists(`/vault/secrets/${team.project.id}/SSM_NOT_COMMITTED`)).toBe(false);
      expect(await db().secret.count({ where: { projectId: team.project.id, name: "SSM_NOT_COMMITTED" } })).toBe(0);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_ssm_audit ON "AuditEvent"`);
    }
  });

  it("ssm reconcile removes recorded orphans and unreferenced parameters, and keeps referenced ones", async () => {
    const kept = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "SSM_KEPT", value: "v", storage: "SSM" });
    const ghost = `/vault/secrets/${team.project.id}/GHOST`;
    const recorded = `/vault/secrets/${team.project.id}/RECORDED_ORPHAN`;
    for (const name of [ghost, recorded]) await raw.send(new PutParameterCommand({ Name: name, Value: "left-over", Type: "SecureString" }));
    await db().ssmOrphan.create({ data: { parameterName: recorded, reason: "test" } });
    const young = await reconcileSsm({ dryRun: true });
    expect(young.removed).toContain(recorded);
    expect(young.removed).not.toContain(ghost); // unrecorded and younger than the grace period
    const result = await reconcileSsm({ graceMs: 0 });
    expect(result.removed).toEqual(expect.arrayContaining([ghost, recorded]));
    expect(await parameterExists(ghost)).toBe(false);
    expect(await parameterExists(recorded)).toBe(false);
    expect(await parameterExists(kept.referencePath!)).toBe(true);
    expect(await db().ssmOrphan.count({ where: { parameterName: recorded } })).toBe(0);
  });
});

describe("SSM outage", () => {
  let moto: ChildProcess;
  let outageTeam: Team;
  const port = 4600 + Math.floor(Math.random() * 300);

  beforeAll(async () => {
    outageTeam = await newTeam();
    // Its own process group: moto_server may be a launcher script with the server as its child.
    moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", detached: true });
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${port}`).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    useSsmEndpoint(`http://127.0.0.1:${port}`);
  });
  const stopMoto = () => {
    try {
      process.kill(-moto.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  afterAll(() => {
    stopMoto();
    useSsmEndpoint(endpoint);
  });

  it("fails closed with UNAVAILABLE naming SSM and the path, and writes nothing", async () => {
    const s = await createSecret(outageTeam.editor.actor, { projectSlug: outageTeam.slug, name: "OUTAGE", value: "outage-value", storage: "SSM" });
    stopMoto();
    for (let i = 0; i < 50 && (await fetch(`http://127.0.0.1:${port}`).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const read = await readCurrentValues([refOf(await secretRow(s.id))]).catch((e) => e as AppError);
    expect(Date.now() - started).toBeLessThan(3000 + 3000); // VAULT_SSM_DEADLINE_MS plus slack for a busy machine
    expect(read).toBeInstanceOf(AppError);
    expect((read as AppError).code).toBe("UNAVAILABLE");
    expect((read as AppError).message).toContain("SSM Parameter Store is unavailable");
    expect((read as AppError).message).toContain(s.referencePath!);
    expect((read as AppError).message).not.toContain("outage-value");

    expect(await codeOf(createSecret(outageTeam.editor.actor, { projectSlug: outageTeam.slug, name: "DURING_OUTAGE", value: "v", storage: "SSM" }))).toBe("UNAVAILABLE");
    expect(await db().secret.count({ where: { projectId: outageTeam.project.id, name: "DURING_OUTAGE" } })).toBe(0);
    expect(await codeOf(updateSecret(outageTeam.editor.actor, { id: s.id, value: "new-value" }))).toBe("UNAVAILABLE");
    expect((await secretRow(s.id)).currentVersion).toBe(1);
    expect(await codeOf(deleteSecret(outageTeam.editor.actor, { id: s.id, confirmName: "OUTAGE" }))).toBe("UNAVAILABLE");
    expect(await db().secret.count({ where: { id: s.id } })).toBe(1);
  });
});

describe("environment variable storage", () => {
  beforeAll(async () => {
    await setEnvAllowlist(OPERATOR, { projectSlug: team.slug, entries: ["TEST_SECRET_*"] });
  });

  it("stores the variable's name, shows the mask alone as its hint and reads the value at run time", async () => {
    process.env.TEST_SECRET_PLATFORM_TOKEN = "platform-token-abcdef123456";
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "PLATFORM_TOKEN", storage: "ENV", envVar: "TEST_SECRET_PLATFORM_TOKEN" });
    expect(s).toMatchObject({ storage: "ENV", referencePath: "TEST_SECRET_PLATFORM_TOKEN", hint: "••••••••" });
    expect(await db().secretVersion.findFirstOrThrow({ where: { secretId: s.id }, select: { ciphertext: true } })).toEqual({ ciphertext: null });
    expect(await valueOf(s.id)).toBe("platform-token-abcdef123456");
    delete process.env.TEST_SECRET_PLATFORM_TOKEN;
    const missing = await readCurrentValues([refOf(await secretRow(s.id))]).catch((e) => e as AppError);
    expect((missing as AppError).code).toBe("UNAVAILABLE");
    expect((missing as AppError).message).toBe("The environment variable TEST_SECRET_PLATFORM_TOKEN that holds PLATFORM_TOKEN is not set on the vault server");
  });

  it("re-points to another variable as a new version", async () => {
    process.env.TEST_SECRET_A = "value-from-variable-a";
    process.env.TEST_SECRET_B = "value-from-variable-b";
    const s = await createSecret(team.editor.actor, { projectSlug: team.slug, name: "REPOINTED", storage: "ENV", envVar: "TEST_SECRET_A" });
    const u = await updateSecret(team.editor.actor, { id: s.id, envVar: "TEST_SECRET_B" });
    expect(u).toMatchObject({ version: 2, referencePath: "TEST_SECRET_B", hint: "••••••••" });
    expect(await valueOf(s.id)).toBe("value-from-variable-b");
  });

  it("never lets a secret point at the vault's own settings or a variable outside the allowlist", async () => {
    for (const envVar of ["SECRETS_ENCRYPTION_KEY", "NEXTAUTH_SECRET", "DATABASE_URL", "AWS_SECRET_ACCESS_KEY", "PATH", "bad-name"]) {
      expect(await codeOf(createSecret(team.editor.actor, { projectSlug: team.slug, name: "STEAL", storage: "ENV", envVar }))).toBe("BAD_USER_INPUT");
    }
    expect(await codeOf(createSecret(team.editor.actor, { projectSlug: team.slug, name: "WITH_VALUE", storage: "ENV", envVar: "TEST_SECRET_A", value: "x" }))).toBe("BAD_USER_INPUT");
    expect(await db().secret.count({ where: { projectId: team.project.id, name: { in: ["STEAL", "WITH_VALUE"] } } })).toBe(0);
  });
});
