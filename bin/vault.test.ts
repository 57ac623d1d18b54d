import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyRing, open, seal, secretBinding } from "../lib/crypto/envelope";
import { announceEmbeddedServer } from "../lib/db/connect";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";

// The operator CLI end to end, on its own embedded data dir (not the test database). This process
// serves that data dir the way `npm start` does, so the CLI takes its "server is running" path.
const dataDir = mkdtempSync(join(tmpdir(), "vault-cli-"));
let database: EmbeddedDatabase;
let unannounce = () => {};
beforeAll(async () => {
  database = await startEmbeddedDatabase({ dataDir });
  unannounce = announceEmbeddedServer(dataDir, database.url);
});
afterAll(async () => {
  unannounce();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Asynchronous on purpose: this process serves the database the CLI talks to.
function vault(...args: string[]) {
  return vaultWith({}, ...args);
}

function vaultWith(extra: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env, VAULT_DATA_DIR: dataDir, ...extra } as NodeJS.ProcessEnv;
  for (const name of ["DATABASE_URL", "SECRETS_ENCRYPTION_KEY", "NEXTAUTH_SECRET"]) delete env[name];
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "bin/vault.ts", ...args], { env, timeout: 120_000 });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

async function withDatabase<T>(fn: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const keyFile = () => join(dataDir, "secrets-encryption.key");
const ringFromFile = () => new KeyRing(readFileSync(keyFile(), "utf8").trim().split(","));

describe("npm run vault", () => {
  it("creates users, projects, members and tokens, refusing bad input with a clear error", { timeout: 180_000 }, async () => {
    const admin = await vault("user", "create", "--email", "Admin@Example.com", "--password", "admin-password-1", "--admin");
    expect(admin.code).toBe(0);
    expect(admin.out).toMatch(/created user admin@example.com \(admin\); personal project: personal-admin-[0-9a-f]{6}/);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect((await vault("user", "create", "--email", "dev@example.com", "--password", "dev-password-1")).code).toBe(0);
    expect((await vault("project", "create", "--slug", "payments", "--name", "Payments", "--owner", "admin@example.com")).out).toContain("created project payments");
    expect((await vault("member", "add", "--project", "payments", "--email", "dev@example.com", "--role", "editor")).out).toContain("dev@example.com is now editor of payments");
    const token = await vault("token", "create", "--project", "payments", "--name", "ci", "--scope", "secrets:read", "--scope", "secrets:manage");
    expect(token.code).toBe(0);
    expect(token.out).toMatch(/^vlt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/m);

    const dup = await vault("user", "create", "--email", "dev@example.com", "--password", "dev-password-1");
    expect(dup.code).toBe(2);
    expect(dup.err).toContain("CONFLICT: A user with the email dev@example.com already exists");
    const weak = await vault("user", "create", "--email", "x@example.com", "--password", "short");
    expect(weak.err).toContain("BAD_USER_INPUT: Password must be at least 8 characters");
    expect(weak.err).not.toContain("short\n");
    expect((await vault("nonsense")).code).toBe(2);
  });

  it("keys rotate adds a master key and re-wraps every data key with progress", { timeout: 120_000 }, async () => {
    const original = ringFromFile();
    const values = Array.from({ length: 30 }, (_, i) => `cli-rotation-${i}`);
    // Seed sealed values straight into the data dir under the current key.
    await withDatabase(async (client) => {
      const { rows } = await client.query<{ id: string }>(`SELECT id FROM "Project" WHERE slug = 'payments'`);
      const projectId = rows[0].id;
      for (const [i, value] of values.entries()) {
        const id = randomUUID();
        const sealed = seal(original, secretBinding(projectId, id, 1), Buffer.from(value));
        await client.query(`INSERT INTO "Secret" (id, "projectId", name, hint, "updatedAt") VALUES ($1, $2, $3, '••••••••', now())`, [id, projectId, `CLI_${i}`]);
        await client.query(
          `INSERT INTO "SecretVersion" (id, "secretId", version, storage, ciphertext, "wrappedKey", "keyId") VALUES ($1, $2, 1, 'DATABASE', $3, $4, $5)`,
          [randomUUID(), id, sealed.ciphertext, sealed.wrappedKey, sealed.keyId],
        );
      }
    });

    const rotated = await vault("keys", "rotate");
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatch(/added master key [0-9a-f]{16}/);
    expect(rotated.out).toMatch(/re-wrapped 30\/30 data keys \(\d+\/s, ~0s left\)/);
    expect(rotated.out).toContain("done: every data key is wrapped by");
    const ring = ringFromFile();
    expect(ring.keys.map((k) => k.id)).toEqual([ring.active.id, original.active.id]);
    expect(ring.active.id).not.toBe(original.active.id);

    await withDatabase(async (client) => {
      const { rows } = await client.query(
        `SELECT s.id, s."projectId", s.name, v.ciphertext, v."wrappedKey", v."keyId" FROM "Secret" s JOIN "SecretVersion" v ON v."secretId" = s.id WHERE s.name LIKE 'CLI_%' ORDER BY s.name`,
      );
      expect(new Set(rows.map((r) => r.keyId))).toEqual(new Set([ring.active.id]));
      const onlyNew = new KeyRing([readFileSync(keyFile(), "utf8").trim().split(",")[0]]);
      const opened = rows.map((r) => open(onlyNew, secretBinding(r.projectId, r.id, 1), { ciphertext: r.ciphertext, wrappedKey: r.wrappedKey, keyId: r.keyId }).toString());
      expect(opened.sort()).toEqual([...values].sort());
    });

    const status = await vault("keys", "status");
    expect(status.out).toContain(`${ring.active.id} (active): 30 data keys`);
    expect(status.out).toContain(`${original.active.id}: 0 data keys`);
  });

  it("keys verify decrypts every stored value and names a version that does not decrypt, without printing values", { timeout: 120_000 }, async () => {
    const ok = await vault("keys", "verify");
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/checked \d+ stored values \(every version\): every one decrypts with the key ring/);
    // One flipped ciphertext byte: authentication fails, and the version is named.
    const original = await withDatabase(async (client) => {
      const { rows } = await client.query(`SELECT v.id, v.ciphertext FROM "SecretVersion" v JOIN "Secret" s ON s.id = v."secretId" WHERE s.name = 'CLI_7'`);
      const tampered = Buffer.from(rows[0].ciphertext);
      tampered[0] ^= 1;
      await client.query(`UPDATE "SecretVersion" SET ciphertext = $2 WHERE id = $1`, [rows[0].id, tampered]);
      return rows[0] as { id: string; ciphertext: Buffer };
    });
    try {
      const bad = await vault("keys", "verify");
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^UNAVAILABLE: 1 of \d+ stored values do not decrypt with SECRETS_ENCRYPTION_KEY: payments\/CLI_7 v1\n$/);
      expect(bad.out + bad.err).not.toContain("cli-rotation-7");
    } finally {
      await withDatabase((client) => client.query(`UPDATE "SecretVersion" SET ciphertext = $2 WHERE id = $1`, [original.id, original.ciphertext]));
    }
    expect((await vault("keys", "verify")).code).toBe(0);
  });

  it("in production, on the embedded database served by a running server, uses the data dir's keys", { timeout: 120_000 }, async () => {
    const keyBefore = existsSync(keyFile()) ? readFileSync(keyFile(), "utf8") : undefined;
    // Production as an operator runs it: no test-only variables, no keys in the environment.
    const production = { NODE_ENV: "production", VAULT_TEST_SCRYPT_N: undefined };
    const created = await vaultWith(production, "user", "create", "--email", "prod@example.com", "--password", "prod-password-1");
    expect(created.err).not.toContain("SECRETS_ENCRYPTION_KEY is not set");
    expect(created.code).toBe(0);
    expect(created.out).toContain("created user prod@example.com");
    if (keyBefore) expect(readFileSync(keyFile(), "utf8")).toBe(keyBefore);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const { rows } = await withDatabase((client) => client.query(`SELECT count(*)::int AS n FROM "User" WHERE email = 'prod@example.com'`));
    expect(rows).toEqual([{ n: 1 }]);
  });
});
