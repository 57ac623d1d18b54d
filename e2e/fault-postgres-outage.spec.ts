// Fault: PostgreSQL stops for 10 s while clients are writing and reading, then starts again.
// While it is down every request answers, within seconds, HTTP 200 with UNAVAILABLE (never
// INTERNAL_SERVER_ERROR, never a hang); nothing is half-written; and the same server process serves
// again by itself once the database is back. The database is a throwaway cluster of this test's own
// (e2e/postgres-cluster.ts), never the shared one: stopping that would break other tests.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createPostgresCluster, freePort, operatorCli, type PostgresCluster, query } from "./postgres-cluster";
import { startVault, type VaultServer } from "./vault-server";

test.describe.configure({ mode: "serial" });

const suffix = randomBytes(3).toString("hex");
const slug = `outage-${suffix}`;
const email = `outage-${suffix}@e2e.test`;
let cluster: PostgresCluster | undefined;
let vault: VaultServer | undefined;
let dataDir = "";
let env: Record<string, string> = {};
let token = "";

// An answer is expected well within this; a request still open after HANG_MS is recorded as a hang.
const ANSWER_WITHIN_MS = 6_000;
const HANG_MS = 20_000;
const OUTAGE_MS = 10_000;

interface Outcome {
  client: number;
  op: "create" | "resolve" | "list";
  name?: string;
  started: number;
  ended: number;
  status: number | "hang" | "network error";
  // extensions.code of the first error, "OK" for an answer with data and no errors.
  code: string;
}

async function gql(op: Outcome["op"], client: number, query: string, variables: object, name?: string): Promise<Outcome> {
  const started = Date.now();
  try {
    const res = await fetch(`${vault!.baseURL}/api/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const body = (await res.json().catch(() => null)) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } | null;
    const code = body?.errors?.length ? (body.errors[0].extensions?.code ?? "NO_CODE") : body?.data ? "OK" : "NO_BODY";
    return { client, op, name, started, ended: Date.now(), status: res.status, code };
  } catch (error) {
    const hang = (error as Error).name === "TimeoutError";
    return { client, op, name, started, ended: Date.now(), status: hang ? "hang" : "network error", code: hang ? "HANG" : String(error) };
  }
}

const sql = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => query<T>(cluster!.url, text, values);

test.beforeAll(async () => {
  test.setTimeout(300_000);
  cluster = await createPostgresCluster();
  env = {
    DATABASE_URL: cluster.url,
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  };
  dataDir = mkdtempSync(join(tmpdir(), "vault-outage-"));
  vault = await startVault({ dataDir, port: await freePort(), env });
  for (const args of [
    ["user", "create", "--email", email, "--password", `outage-password-${suffix}`],
    ["project", "create", "--slug", slug, "--name", "Outage", "--owner", email],
  ]) {
    const r = await operatorCli(env, args);
    expect(r.code, r.err).toBe(0);
  }
  const t = await operatorCli(env, ["token", "create", "--project", slug, "--name", "load", "--scope", "secrets:read", "--scope", "secrets:manage", "--scope", "secrets:inject"]);
  expect(t.code, t.err).toBe(0);
  token = t.out.trim().split("\n").pop()!;
  const seeded = await gql("create", -1, "mutation($i:CreateSecretInput!){ createSecret(input:$i){ id } }", {
    i: { projectSlug: slug, name: "SEED", value: "seed-value-0123456789" },
  });
  expect(seeded.code).toBe("OK");
  const consumer = await gql("create", -1, "mutation($i:CreateConsumerInput!){ createConsumer(input:$i){ id } }", {
    i: { projectSlug: slug, kind: "TASK_TEMPLATE", name: "load", allowAllSecrets: true, templates: [{ variable: "SEED", template: "{{SEED}}" }] },
  });
  expect(consumer.code).toBe("OK");
});

test.afterAll(async () => {
  await vault?.stop();
  cluster?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("PostgreSQL stopped for 10 s under load: UNAVAILABLE within seconds, nothing half-written, recovery without a restart", async () => {
  test.setTimeout(120_000);
  const pid = vault!.process.pid;
  const outcomes: Outcome[] = [];
  let running = true;
  const CLIENTS = 4;
  const client = async (c: number) => {
    for (let i = 0; running; i++) {
      const op = (["create", "resolve", "list"] as const)[i % 3];
      const name = `LOAD_${c}_${i}`;
      const outcome =
        op === "create"
          ? await gql("create", c, "mutation($i:CreateSecretInput!){ createSecret(input:$i){ id version } }", { i: { projectSlug: slug, name, value: `value-${name}-0123456789` } }, name)
          : op === "resolve"
            ? await gql("resolve", c, 'mutation{ resolveEnvironment(consumer:"load"){ variables{ name value } } }', {})
            : await gql("list", c, "query($s:String!){ project(slug:$s){ secrets(first:50){ edges{ node{ name version } } } } }", { s: slug });
      outcomes.push(outcome);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

  await new Promise((r) => setTimeout(r, 3_000));
  // A burst of creates in flight as PostgreSQL goes down: the ones cut off mid-transaction must
  // leave nothing behind.
  const burst = Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      gql("create", CLIENTS, "mutation($i:CreateSecretInput!){ createSecret(input:$i){ id version } }", { i: { projectSlug: slug, name: `BURST_${i}`, value: `value-burst-${i}-0123456789` } }, `BURST_${i}`),
    ),
  ).then((done) => outcomes.push(...done));
  await new Promise((r) => setTimeout(r, 30));
  const stopBegan = Date.now();
  await cluster!.stop("fast");
  const stopEnded = Date.now();
  await burst;
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  const startBegan = Date.now();
  await cluster!.start();
  const startEnded = Date.now();
  // Keep the load on until requests have succeeded again for a while (bounded).
  let firstOkAfter = 0;
  while (Date.now() - startEnded < 20_000) {
    firstOkAfter ||= outcomes.find((o) => o.started >= startEnded && o.code === "OK")?.ended ?? 0;
    if (firstOkAfter && Date.now() - firstOkAfter > 4_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  running = false;
  await load;

  // Every answer: HTTP 200, OK or UNAVAILABLE, in seconds. Nothing else, whenever it was sent.
  const unexpected = outcomes.filter((o) => o.status !== 200 || (o.code !== "OK" && o.code !== "UNAVAILABLE"));
  const kinds = new Map<string, number>();
  for (const o of unexpected) kinds.set(`${o.op} ${o.status} ${o.code}`, (kinds.get(`${o.op} ${o.status} ${o.code}`) ?? 0) + 1);
  const internal = vault!.output().split("\n").filter((l) => l.includes("internal_error")).slice(0, 5).join("\n");
  expect(Object.fromEntries(kinds), `${unexpected.length} of ${outcomes.length} answers were not HTTP 200 with OK or UNAVAILABLE\n${internal}`).toEqual({});
  const slow = outcomes.filter((o) => o.ended - o.started > ANSWER_WITHIN_MS);
  expect(slow.map((o) => ({ op: o.op, ms: o.ended - o.started, code: o.code })).slice(0, 5)).toEqual([]);

  // Sent and answered while the database was down: UNAVAILABLE, every one of them.
  const during = outcomes.filter((o) => o.started >= stopEnded && o.ended <= startBegan);
  expect(during.length).toBeGreaterThan(50);
  expect(during.filter((o) => o.code !== "UNAVAILABLE")).toEqual([]);
  for (const op of ["create", "resolve", "list"] as const) expect(during.some((o) => o.op === op), op).toBe(true);

  // Back without a restart: the same process, answering OK within seconds of the database's return,
  // and every request sent a second after the first success is OK.
  expect(vault!.process.exitCode).toBeNull();
  expect(vault!.process.pid).toBe(pid);
  expect(firstOkAfter, "no request succeeded after PostgreSQL came back").toBeGreaterThan(0);
  expect(firstOkAfter - startEnded).toBeLessThan(5_000);
  const after = outcomes.filter((o) => o.started >= firstOkAfter + 1_000);
  expect(after.length).toBeGreaterThan(20);
  expect(after.filter((o) => o.code !== "OK")).toEqual([]);
  expect((await fetch(`${vault!.baseURL}/api/health`)).status).toBe(200);

  // Nothing half-written: every secret has its current version and exactly one create audit row.
  const orphans = await sql(
    `SELECT s.name FROM "Secret" s JOIN "Project" p ON p.id = s."projectId"
     WHERE p.slug = $1 AND (
       NOT EXISTS (SELECT 1 FROM "SecretVersion" v WHERE v."secretId" = s.id AND v.version = s."currentVersion")
       OR (SELECT count(*) FROM "AuditEvent" e WHERE e."secretId" = s.id AND e.action = 'secret.create') <> 1)`,
    [slug],
  );
  expect(orphans).toEqual([]);
  const stored = await sql<{ name: string; creates: string }>(
    `SELECT s.name, (SELECT count(*) FROM "AuditEvent" e WHERE e."projectId" = p.id AND e."secretName" = s.name AND e.action = 'secret.create')::text AS creates
     FROM "Secret" s JOIN "Project" p ON p.id = s."projectId" WHERE p.slug = $1`,
    [slug],
  );
  const storedNames = new Map(stored.map((r) => [r.name, Number(r.creates)]));
  const creates = outcomes.filter((o) => o.op === "create");
  const succeeded = creates.filter((o) => o.code === "OK").map((o) => o.name!);
  // Every create answered OK is there, once; every create sent during the outage is not.
  expect(succeeded.filter((n) => storedNames.get(n) !== 1)).toEqual([]);
  expect(during.filter((o) => o.op === "create" && storedNames.has(o.name!)).map((o) => o.name)).toEqual([]);
  // Anything else stored is a create whose answer was UNAVAILABLE while PostgreSQL was stopping
  // (committed, then the connection was cut before the answer): possible, and reported.
  const sent = new Map(creates.map((o) => [o.name!, o]));
  const extra = [...storedNames.keys()].filter((n) => n !== "SEED" && !succeeded.includes(n));
  for (const n of extra) expect(sent.get(n)?.started, n).toBeLessThan(stopEnded);
  // Every answered resolution is in the audit trail.
  const [{ n: resolves }] = await sql<{ n: string }>(
    `SELECT count(*)::text AS n FROM "AuditEvent" e JOIN "Project" p ON p.id = e."projectId" WHERE p.slug = $1 AND e.action = 'environment.resolve'`,
    [slug],
  );
  expect(Number(resolves)).toBeGreaterThanOrEqual(outcomes.filter((o) => o.op === "resolve" && o.code === "OK").length);

  const ms = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? { n: s.length, median: s[Math.floor(s.length / 2)], p99: s[Math.floor(s.length * 0.99)], max: s[s.length - 1] } : { n: 0 };
  };
  const figures = {
    requests: outcomes.length,
    stopTookMs: stopEnded - stopBegan,
    startTookMs: startEnded - startBegan,
    duringOutageMs: ms(during.map((o) => o.ended - o.started)),
    firstOkAfterStartMs: firstOkAfter - startEnded,
    beforeMs: ms(outcomes.filter((o) => o.ended < stopBegan).map((o) => o.ended - o.started)),
    afterMs: ms(after.map((o) => o.ended - o.started)),
    createsOk: succeeded.length,
    createsUnavailable: creates.filter((o) => o.code === "UNAVAILABLE").length,
    burst: { ok: creates.filter((o) => o.name!.startsWith("BURST_") && o.code === "OK").length, unavailable: creates.filter((o) => o.name!.startsWith("BURST_") && o.code === "UNAVAILABLE").length },
    committedButAnsweredUnavailable: extra.length,
  };
  console.log(`[fault-postgres-outage] ${JSON.stringify(figures)}`);
});
