// Several stateless vault instances behind a load balancer on one PostgreSQL: two production
// servers (`npm start` with DATABASE_URL) share sessions, writes, rate limits and key rotation. The
// PostgreSQL is a throwaway cluster of this spec's own (e2e/postgres-cluster.ts): `keys rotate`
// re-wraps every data key in the database, so it must not meet other tests' rows sealed with other
// keys.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createPostgresCluster, freePort, query, type PostgresCluster } from "./postgres-cluster";
import { startVault, type VaultServer } from "./vault-server";

test.describe.configure({ mode: "serial" });
let cluster: PostgresCluster | undefined;
let databaseUrl = "";

const K1 = randomBytes(32).toString("base64");
const K2 = randomBytes(32).toString("base64");
const sessionSecret = randomBytes(32).toString("base64");
const suffix = randomBytes(3).toString("hex");
const email = `multi-${suffix}@e2e.test`;
const password = `multi-password-${suffix}`;
const slug = `multi-${suffix}`;
const ports: number[] = [];
const servers: (VaultServer | undefined)[] = [];
let token = "";

const instanceEnv = (keys: string) => ({
  DATABASE_URL: databaseUrl,
  SECRETS_ENCRYPTION_KEY: keys,
  NEXTAUTH_SECRET: sessionSecret,
});

// The operator CLI against the same PostgreSQL.
function cli(args: string[], keys = K1): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "bin/vault.ts", ...args], {
    env: { ...process.env, NODE_ENV: "production", ...instanceEnv(keys) },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

async function start(i: number, keys: string) {
  await servers[i]?.stop();
  servers[i] = await startVault({ dataDir: mkdtempSync(join(tmpdir(), "vault-multi-")), port: ports[i], env: instanceEnv(keys) });
}

async function gql(i: number, query: string, variables: object = {}) {
  const res = await fetch(`${servers[i]!.baseURL}/api/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
}

const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => query<T>(databaseUrl, text, values);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  cluster = await createPostgresCluster();
  databaseUrl = cluster.url;
  ports.push(await freePort(), await freePort());
  await start(0, K1);
  await start(1, K1);
  for (const args of [
    ["user", "create", "--email", email, "--password", password],
    ["project", "create", "--slug", slug, "--name", "Multi", "--owner", email],
  ]) {
    const r = await cli(args);
    expect(r.code, r.err).toBe(0);
  }
  const t = await cli(["token", "create", "--project", slug, "--name", "ci", "--scope", "secrets:read", "--scope", "secrets:manage", "--scope", "secrets:inject"]);
  token = t.out.trim().split("\n").pop()!;
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s?.stop()));
  cluster?.destroy();
});

test("a session signed in on one instance works on the other", async ({ page }) => {
  await page.goto(`${servers[0]!.baseURL}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
  // Same host, other port: the browser sends the same session cookie to the second instance.
  await page.goto(`${servers[1]!.baseURL}/`);
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
});

test("sign-in rate limits hold across both instances", async ({ page }) => {
  const victim = `victim-${suffix}@e2e.test`;
  const created = await cli(["user", "create", "--email", victim, "--password", `victim-password-${suffix}`]);
  expect(created.code, created.err).toBe(0);
  const attempt = async (i: number) => {
    await page.goto(`${servers[i % 2]!.baseURL}/login`);
    await page.getByLabel("Email").fill(victim);
    await page.getByLabel("Password").fill(`wrong-guess-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Next's route announcer is an (empty) alert too: take the form's, the one with text.
    return page.getByRole("alert").filter({ hasText: /\S/ });
  };
  // Five wrong guesses, alternating between the instances: each counts against the same limit.
  for (let i = 0; i < 5; i++) await expect(await attempt(i)).toHaveText("Email or password is incorrect");
  await expect(await attempt(5)).toHaveText(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
  await expect(await attempt(6)).toHaveText(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
});

test("concurrent writes through both instances lose nothing", async () => {
  const names = Array.from({ length: 40 }, (_, i) => `MULTI_${String(i).padStart(2, "0")}`);
  const results = await Promise.all(
    names.map((name, i) =>
      gql(i % 2, "mutation($i:CreateSecretInput!){ createSecret(input:$i){ name version } }", { i: { projectSlug: slug, name, value: `value-${name}-0123456789` } }),
    ),
  );
  expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
  const [{ n }] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "Secret" s JOIN "Project" p ON p.id = s."projectId" WHERE p.slug = $1`, [slug]);
  expect(Number(n)).toBe(40);
  const [{ a }] = await sql<{ a: string }>(
    `SELECT count(*)::text AS a FROM "AuditEvent" e JOIN "Project" p ON p.id = e."projectId" WHERE p.slug = $1 AND e.action = 'secret.create'`,
    [slug],
  );
  expect(Number(a)).toBe(40);
});

test("keys rotate while both instances serve leaves every value readable from both", async () => {
  test.setTimeout(240_000);
  const created = await gql(0, "mutation($i:CreateConsumerInput!){ createConsumer(input:$i){ id } }", {
    i: { projectSlug: slug, kind: "TASK_TEMPLATE", name: "all", allowAllSecrets: true, templates: [{ variable: "FIRST", template: "{{MULTI_00}}" }, { variable: "LAST", template: "{{MULTI_39}}" }] },
  });
  expect(created.errors).toBeUndefined();
  const resolveBoth = async () => {
    for (const i of [0, 1]) {
      const r = await gql(i, "mutation{ resolveEnvironment(consumer:\"all\"){ variables{ name value } } }");
      expect(r.errors, `instance ${i}`).toBeUndefined();
      expect(r.data!.resolveEnvironment).toEqual({ variables: [{ name: "FIRST", value: "value-MULTI_00-0123456789" }, { name: "LAST", value: "value-MULTI_39-0123456789" }] });
    }
  };
  await resolveBoth();
  // A rolling restart puts the new key first on each instance (the old one still decrypts)…
  await start(1, `${K2},${K1}`);
  await resolveBoth();
  await start(0, `${K2},${K1}`);
  // One rotation at a time: a second operator (or instance) is told to wait.
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query("SELECT pg_advisory_lock(hashtext('vault.keys.rotate'))");
  const refused = await cli(["keys", "rotate"], `${K2},${K1}`);
  await holder.end();
  expect(refused).toMatchObject({ code: 2, err: "CONFLICT: another keys rotate is running against this database; wait for it to finish\n" });
  // …then the operator re-wraps every data key while both keep serving.
  let rotating = true;
  const rotation = cli(["keys", "rotate"], `${K2},${K1}`).finally(() => (rotating = false));
  let during = 0;
  while (rotating) {
    await resolveBoth();
    during += 1;
  }
  const r = await rotation;
  expect(r.code, r.err).toBe(0);
  expect(r.out).toContain("done: every data key is wrapped by");
  expect(during).toBeGreaterThan(0);
  await resolveBoth();
  const status = await cli(["keys", "status"], `${K2},${K1}`);
  expect(status.out).toMatch(/\(active\): \d+ data keys/);
  expect(status.out.trim().split("\n")[1]).toMatch(/: 0 data keys$/);
});
