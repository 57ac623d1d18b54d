// Faults: SIGKILL at random points of a bulk clone (the server dies mid-request) and of `keys
// rotate` (the operator's process dies mid-run), on PostgreSQL, then everything started again. The
// clone is all-or-nothing, rotation resumes and finishes, and every stored value still decrypts,
// at the end under the new master key alone. The database is a throwaway cluster of this spec's own
// (e2e/postgres-cluster.ts): rotation re-wraps every data key in the database it runs against.
import { spawn } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { createPostgresCluster, freePort, operatorCli, type PostgresCluster, query } from "./postgres-cluster";
import { isGone, killTree, startVault, type VaultServer } from "./vault-server";

test.describe.configure({ mode: "serial" });

const K1 = randomBytes(32).toString("base64");
const K2 = randomBytes(32).toString("base64");
const suffix = randomBytes(3).toString("hex");
const email = `kill-${suffix}@e2e.test`;
const password = `kill-password-${suffix}`;
const SOURCE = `kill-src-${suffix}`;
// A fresh target project for each clone.
const target = (n: number) => `kill-dst-${suffix}-${n}`;
const SECRETS = 600;
const valueOf = (name: string) => `value-${name}-0123456789`;

let cluster: PostgresCluster | undefined;
let vault: VaultServer | undefined;
let port = 0;
let dataDir = "";
let token = "";
// Values stored in the database once the clone test is done (source, clones that committed).
let stored = 0;
const envWith = (keys: string) => ({ DATABASE_URL: cluster!.url, SECRETS_ENCRYPTION_KEY: keys, NEXTAUTH_SECRET: sessionSecret });
const sessionSecret = randomBytes(32).toString("base64");

const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => query<T>(cluster!.url, text, values);

const count = async (where: string, values: unknown[]) => Number((await sql<{ n: string }>(`SELECT count(*)::text AS n ${where}`, values))[0].n);
const secretsIn = (slug: string) => count(`FROM "Secret" s JOIN "Project" p ON p.id = s."projectId" WHERE p.slug = $1`, [slug]);

async function gql(query: string, variables: object = {}) {
  const res = await fetch(`${vault!.baseURL}/api/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function startServer(keys: string) {
  vault = await startVault({ dataDir, port, env: envWith(keys) });
}

async function signIn(page: Page) {
  await page.goto(`${vault!.baseURL}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-email")).toHaveText(email);
}

async function newTarget(n: number) {
  const r = await operatorCli(envWith(K1), ["project", "create", "--slug", target(n), "--name", `Kill target ${n}`, "--owner", email]);
  expect(r.code, r.err).toBe(0);
}

const cloneAll = (page: Page, n: number) =>
  page.request.post(`${vault!.baseURL}/api/graphql`, {
    data: {
      query: "mutation($i:CloneSecretsInput!){ cloneSecrets(input:$i){ results{ name outcome } } }",
      variables: { i: { sourceProjectSlug: SOURCE, targetProjectSlug: target(n), all: true } },
    },
    timeout: 60_000,
  });

// Every value of the source, through consumers whose templates name every secret (200 a consumer),
// resolves to what was written.
const CONSUMERS = Math.ceil(SECRETS / 200);
async function resolveAll() {
  const variables: { name: string; value: string }[] = [];
  for (let c = 0; c < CONSUMERS; c++) {
    const r = await gql("mutation($c:String!){ resolveEnvironment(consumer:$c){ variables{ name value } } }", { c: `all-${c}` });
    expect(r.errors).toBeUndefined();
    variables.push(...r.data!.resolveEnvironment.variables);
  }
  expect(variables).toHaveLength(SECRETS);
  expect(variables.filter((v) => v.value !== valueOf(v.name)).map((v) => v.name)).toEqual([]);
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  cluster = await createPostgresCluster();
  dataDir = mkdtempSync(join(tmpdir(), "vault-kill-rotate-"));
  port = await freePort();
  await startServer(K1);
  for (const args of [
    ["user", "create", "--email", email, "--password", password],
    ["project", "create", "--slug", SOURCE, "--name", "Kill source", "--owner", email],
  ]) {
    const r = await operatorCli(envWith(K1), args);
    expect(r.code, r.err).toBe(0);
  }
  const t = await operatorCli(envWith(K1), ["token", "create", "--project", SOURCE, "--name", "seed", "--scope", "secrets:read", "--scope", "secrets:manage", "--scope", "secrets:inject"]);
  expect(t.code, t.err).toBe(0);
  token = t.out.trim().split("\n").pop()!;
  const names = Array.from({ length: SECRETS }, (_, i) => `KILL_${String(i).padStart(4, "0")}`);
  for (let i = 0; i < names.length; i += 8) {
    const created = await Promise.all(
      names.slice(i, i + 8).map((name) => gql("mutation($i:CreateSecretInput!){ createSecret(input:$i){ id } }", { i: { projectSlug: SOURCE, name, value: valueOf(name) } })),
    );
    expect(created.flatMap((c) => c.errors ?? [])).toEqual([]);
  }
  for (let c = 0; c < CONSUMERS; c++) {
    const templates = names.slice(c * 200, (c + 1) * 200).map((n) => ({ variable: n, template: `{{${n}}}` }));
    const consumer = await gql("mutation($i:CreateConsumerInput!){ createConsumer(input:$i){ id } }", {
      i: { projectSlug: SOURCE, kind: "TASK_TEMPLATE", name: `all-${c}`, allowAllSecrets: true, templates },
    });
    expect(consumer.errors).toBeUndefined();
  }
});

test.afterAll(async () => {
  await vault?.stop();
  cluster?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("the server killed with SIGKILL in the middle of a bulk clone: after a restart the clone is all or nothing", async ({ page }) => {
  test.setTimeout(240_000);
  const outcomes: string[] = [];
  // Once: the session cookie outlives server restarts (same NEXTAUTH_SECRET).
  await signIn(page);
  for (let round = 0; round < 4 && !outcomes.includes("rolled back"); round++) {
    await newTarget(round);
    const watcher = new pg.Client({ connectionString: cluster!.url });
    await watcher.connect();
    // The clone's transaction lasts tens of milliseconds, so a free-running kill often comes after
    // the commit. After such a round, a connection of the test's holds the audit table: the clone
    // writes its secrets and versions, then waits at its audit rows and cannot commit, so the kill
    // lands inside the transaction, at whichever point the random moment falls.
    const gate = round > 0 ? new pg.Client({ connectionString: cluster!.url }) : undefined;
    let gatePid = 0;
    if (gate) {
      await gate.connect();
      await gate.query(`BEGIN; LOCK TABLE "AuditEvent" IN EXCLUSIVE MODE`);
      gatePid = (await gate.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    }
    const request = cloneAll(page, round).then(
      (r) => `HTTP ${r.status()}`,
      (e: Error) => `no answer (${e.message.split("\n")[0]})`,
    );
    // Wait until the clone's transaction is open (a backend of the vault inside a transaction),
    // then a random moment more, then kill the whole server.
    const opened = Date.now();
    let inTransaction = false;
    while (!inTransaction && Date.now() - opened < 20_000) {
      const { rows } = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'vault' AND xact_start IS NOT NULL AND pid <> pg_backend_pid() AND pid <> $1`, [gatePid]);
      inTransaction = rows[0].n > 0;
      if (!inTransaction) await new Promise((r) => setTimeout(r, 5));
    }
    expect(inTransaction, "the clone's transaction never opened").toBe(true);
    await new Promise((r) => setTimeout(r, randomInt(0, 150)));
    const killed = killTree(vault!.process.pid!);
    await expect.poll(() => killed.every(isGone), { timeout: 10_000 }).toBe(true);
    const answer = await request;
    // Let the dead server's transaction go on to find its client gone.
    if (gate) await gate.query("ROLLBACK").then(() => gate.end());
    // PostgreSQL ends the dead server's transaction (rolled back unless it had committed).
    await expect.poll(async () => (await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'vault' AND pid <> pg_backend_pid()`)).rows[0].n, { timeout: 20_000 }).toBe(0);
    await watcher.end();

    await startServer(K1);
    const cloned = await secretsIn(target(round));
    const audited = await count(`FROM "AuditEvent" e JOIN "Project" p ON p.id = e."projectId" WHERE p.slug = $1 AND e.action = 'secret.clone'`, [target(round)]);
    expect([0, SECRETS], `round ${round}: ${cloned} secrets in the target after the kill (${answer})`).toContain(cloned);
    // The audit trail agrees with the data: clone rows exist exactly when the clone committed.
    expect(audited > 0, `round ${round}: ${audited} clone audit rows for ${cloned} secrets`).toBe(cloned === SECRETS);
    outcomes.push(cloned === 0 ? "rolled back" : "committed");
  }
  // At least one kill landed inside the transaction (a kill after the commit proves nothing).
  expect(outcomes).toContain("rolled back");
  console.log(`[fault-kill-clone] kills: ${outcomes.join(", ")}`);

  // The same clone, uninterrupted, completes; every value decrypts in both projects.
  const last = outcomes.length;
  await newTarget(last);
  const done = await cloneAll(page, last);
  const body = await done.json();
  expect(body.errors).toBeUndefined();
  expect(body.data.cloneSecrets.results.filter((r: { outcome: string }) => r.outcome !== "CREATED")).toEqual([]);
  expect(await secretsIn(target(last))).toBe(SECRETS);
  stored = SECRETS * (2 + outcomes.filter((o) => o === "committed").length);
  const verified = await operatorCli(envWith(K1), ["keys", "verify"]);
  expect(verified.code, verified.err).toBe(0);
  expect(verified.out).toContain(`checked ${stored} stored values`);
});

test("keys rotate killed with SIGKILL at random points, then run again: it resumes, finishes, and every value decrypts under the new key alone", async () => {
  test.setTimeout(240_000);
  // A rolling restart puts K2 first (K1 still decrypts), then the operator rotates.
  await vault!.stop();
  await startServer(`${K2},${K1}`);
  // Small batches (25 of the 1,200 data keys a transaction), so a kill soon after the first batch
  // lands in the middle of the run rather than after its end.
  const rotate = () => {
    const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "bin/vault.ts", "keys", "rotate", "--batch", "25"], {
      env: { ...process.env, NODE_ENV: "production", ...envWith(`${K2},${K1}`) },
    });
    let out = "";
    let onProgress = () => {};
    const progressed = new Promise<void>((resolve) => (onProgress = resolve));
    child.stdout.on("data", (d) => {
      out += d;
      if (/re-wrapped \d+\//.test(out)) onProgress();
    });
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    return { child, out: () => out, exited, progressed };
  };
  const underK2 = async () => {
    const status = await operatorCli(envWith(`${K2},${K1}`), ["keys", "status"]);
    const [active, old] = status.out.trim().split("\n").map((l) => Number(/: (\d+) data keys/.exec(l)![1]));
    return { active, old };
  };
  const total = stored;
  const partial: string[] = [];
  const outputs: string[] = [];
  for (let kill = 0; kill < 3; kill++) {
    const run = rotate();
    // As soon as its first batch has committed, a random moment more: somewhere in the middle.
    await Promise.race([run.progressed, run.exited]);
    await new Promise((r) => setTimeout(r, randomInt(0, 60)));
    const killed = killTree(run.child.pid!);
    await run.exited;
    outputs.push(run.out());
    await expect.poll(() => killed.every(isGone), { timeout: 10_000 }).toBe(true);
    const { active, old } = await underK2();
    expect(active + old).toBe(total);
    partial.push(`${active}/${total}`);
    // Values stay readable mid-rotation, through the server, whichever key wraps them now.
    await resolveAll();
    if (old === 0) break;
  }
  expect(partial.some((p) => p !== `${total}/${total}`), `kills landed at ${partial.join(", ")}`).toBe(true);
  console.log(`[fault-kill-rotate] killed with ${partial.join(", ")} data keys under the new key`);

  // Run again until it says it has nothing left (a killed run may have finished before the kill).
  const finished = rotate();
  expect(await finished.exited, finished.out()).toBe(0);
  outputs.push(finished.out());
  expect(finished.out()).toMatch(/done: every data key is wrapped by|Every data key is wrapped by the active master key/);
  // A run after a kill picked up where the killed one stopped.
  expect(outputs.slice(1).join("")).toMatch(/resuming: \d+ data keys are not yet under the active master key/);
  expect(await underK2()).toEqual({ active: total, old: 0 });
  // The old key removed: everything still decrypts, in the CLI's check and through the server.
  const verified = await operatorCli(envWith(K2), ["keys", "verify"]);
  expect(verified.code, verified.err).toBe(0);
  expect(verified.out).toContain(`checked ${total} stored values`);
  await vault!.stop();
  await startServer(K2);
  await resolveAll();
});
