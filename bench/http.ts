// `npm run bench`, first part: the vault over HTTP against a production build (`npm start`), each
// scenario beside a raw baseline doing the same work with no framework (bench/raw-server.ts:
// node:http + pg + node:crypto, the same SQL, decryption and audit insert), in one run, alternating
// baseline and vault after a warm-up, at 1 and 8 keep-alive clients (autocannon).
//   PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL; the embedded default is reported apart.
//   BENCH_HTTP_SECONDS (default 3): seconds per measurement; BENCH_ROUNDS (default 2).
//   BENCH_SCENARIOS (default all): comma-separated scenario keys, e.g. resolve1,list100 (profiling).
// Prints Markdown tables and writes bench/results/latest.json. Asserts nothing about speed.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { nextServerPid, startVault, type VaultServer } from "../e2e/vault-server";
import { cli, rssMb, writeResults } from "./common";
import { startSsmCounter, type SsmCounter } from "./ssm-calls";

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const say = (line: string) => process.stdout.write(line + "\n");

interface Figures {
  p50: number;
  p99: number;
  perSecond1: number;
  perSecond8: number;
  p50at8: number;
  p99at8: number;
  errors: number;
}

interface Target {
  url: string;
  headers: Record<string, string>;
  body: () => string;
  ok: (status: number, body: string) => boolean;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

// One measurement: `connections` clients for SECONDS; latencies from every response (ms, float).
async function measure(t: Target, connections: number, seconds = SECONDS) {
  const latencies: number[] = [];
  let errors = 0;
  const instance = autocannon({
    url: t.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        setupRequest: (req: any) => ({ ...req, headers: t.headers, body: t.body() }),
        onResponse: (status: number, body: string) => {
          if (!t.ok(status, body)) errors += 1;
        },
      },
    ],
  } as any) as any;
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result: any = await instance;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), perSecond: result.requests.total / seconds, errors: errors + result.errors + result.non2xx };
}

// Warm-up, then ROUNDS of [baseline, vault] at 1 and at 8 clients; medians of the rounds.
async function compare(vault: Target, raw: Target | null, onVaultLoad?: () => void) {
  for (const t of [raw, vault]) if (t) await measure(t, 8, 2);
  const runs: Record<"vault" | "raw", Awaited<ReturnType<typeof measure>>[][]> = { vault: [], raw: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, t] of [["raw", raw], ["vault", vault]] as const) {
      if (!t) continue;
      const one = await measure(t, 1);
      const sampler = name === "vault" && onVaultLoad ? setInterval(onVaultLoad, 500) : undefined;
      const eight = await measure(t, 8);
      if (sampler) clearInterval(sampler);
      runs[name].push([one, eight]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summarise = (rs: Awaited<ReturnType<typeof measure>>[][]): Figures | null =>
    rs.length
      ? {
          p50: round2(median(rs.map((r) => r[0].p50))),
          p99: round2(median(rs.map((r) => r[0].p99))),
          perSecond1: Math.round(median(rs.map((r) => r[0].perSecond))),
          perSecond8: Math.round(median(rs.map((r) => r[1].perSecond))),
          p50at8: round2(median(rs.map((r) => r[1].p50))),
          p99at8: round2(median(rs.map((r) => r[1].p99))),
          errors: rs.flat().reduce((n, r) => n + r.errors, 0),
        }
      : null;
  return { vault: summarise(runs.vault)!, raw: summarise(runs.raw) };
}
const round2 = (n: number) => Math.round(n * 100) / 100;

const gqlOk = (status: number, body: string) => status === 200 && !body.includes('"errors"');

function graphqlClient(server: VaultServer, token: string) {
  return async (query: string, variables: object) => {
    const res = await fetch(`${server.baseURL}/api/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(`bench request: ${JSON.stringify(body.errors).slice(0, 300)}`);
    return body.data;
  };
}

async function seed(server: VaultServer, cliEnv: NodeJS.ProcessEnv) {
  const suffix = randomBytes(3).toString("hex");
  const email = `bench-${suffix}@example.com`;
  const slug = `bench-http-${suffix}`;
  await cli(cliEnv, ["user", "create", "--email", email, "--password", `bench-password-${suffix}`]);
  await cli(cliEnv, ["project", "create", "--slug", slug, "--name", "Bench", "--owner", email]);
  const token = (await cli(cliEnv, ["token", "create", "--project", slug, "--name", "bench", "--scope", "secrets:read", "--scope", "secrets:manage", "--scope", "secrets:inject"]))
    .trim()
    .split("\n")
    .pop()!;
  const gql = graphqlClient(server, token);
  const names = Array.from({ length: 1000 }, (_, i) => `BENCH_${String(i).padStart(4, "0")}`);
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(
      names.slice(i, i + 8).map((name) =>
        gql("mutation($i:CreateSecretInput!){createSecret(input:$i){id}}", { i: { projectSlug: slug, name, value: `${name.toLowerCase()}-${randomBytes(16).toString("hex")}`, storage: "DATABASE" } }),
      ),
    );
  }
  await attachConsumer(gql, slug, "c100", names.slice(0, 100));
  await attachConsumer(gql, slug, "c1", names.slice(0, 1));
  return { slug, token };
}

async function attachConsumer(gql: ReturnType<typeof graphqlClient>, slug: string, consumer: string, names: string[]) {
  const c = await gql("mutation($i:CreateConsumerInput!){createConsumer(input:$i){id}}", { i: { projectSlug: slug, kind: "TASK_TEMPLATE", name: consumer } });
  for (const name of names) await gql("mutation($i:AttachSecretInput!){attachSecret(input:$i){id}}", { i: { consumerId: c.createConsumer.id, secretName: name } });
}

// Scenario 7: 100 SSM-backed secrets on one consumer; GetParameters calls per resolution, counted by
// the proxy in front of moto, and the resolution's p50 (one client, sequential).
async function measureSsm(server: VaultServer, counter: SsmCounter, slug: string, token: string) {
  const gql = graphqlClient(server, token);
  const names = Array.from({ length: 100 }, (_, i) => `SSM_BENCH_${String(i).padStart(3, "0")}`);
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(
      names.slice(i, i + 8).map((name) =>
        gql("mutation($i:CreateSecretInput!){createSecret(input:$i){id}}", { i: { projectSlug: slug, name, value: `ssm-${randomBytes(16).toString("hex")}`, storage: "SSM" } }),
      ),
    );
  }
  await attachConsumer(gql, slug, "cssm", names);
  const resolve = () => gql('mutation{resolveEnvironment(consumer:"cssm"){variables{name value}}}', {});
  await resolve();
  counter.reset();
  const RUNS = 20;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const data = await resolve();
    times.push(performance.now() - started);
    if (data.resolveEnvironment.variables.length !== 100) throw new Error("an SSM resolution came back short");
  }
  const counts = counter.counts();
  const calls = Object.values(counts).reduce((n, c) => n + c, 0) / RUNS;
  return { secrets: 100, callsPerResolution: calls, byAction: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / RUNS])), target: 10, p50: round2(percentile(times.sort((a, b) => a - b), 0.5)) };
}

const ALL_SCENARIOS = [
  { key: "resolve100", label: "resolve a consumer with 100 secrets", target: 1.5, memory: true },
  { key: "resolve1", label: "resolve one secret", target: 1.5 },
  { key: "list100", label: "list a page of 100 secrets' metadata", target: 1.5 },
  { key: "list1000", label: "list a page of 1,000 secrets' metadata", target: 2.0 },
  { key: "create", label: "create a secret (encrypt, row, version, audit)", target: 1.5 },
  // No target: what any request pays before the vault's own work (Next's route handling, Apollo's
  // pipeline), beside node:http answering the same JSON.
  { key: "floor", label: "no work: GraphQL `{ __typename }`, anonymous (the framework's floor)", target: null },
] as const;
// BENCH_SCENARIOS may name "ssm" too.
const wantSsm = !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(",").includes("ssm");
const SCENARIOS = ALL_SCENARIOS.filter((s) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(",").includes(s.key));

function targets(vaultBase: string, rawBase: string | null, slug: string, token: string) {
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  let n = 0;
  const unique = () => `HTTP_${process.pid}_${n++}`;
  const value = () => `v-${randomBytes(16).toString("hex")}`;
  const listQuery = "query($s:String!,$f:Int){project(slug:$s){secrets(first:$f){edges{node{id name description type hint version createdAt updatedAt}}}}}";
  const pair = (vault: () => object, raw: [string, () => object]) => ({
    vault: { url: `${vaultBase}/api/graphql`, headers, body: () => JSON.stringify(vault()), ok: gqlOk },
    raw: rawBase ? { url: `${rawBase}${raw[0]}`, headers, body: () => JSON.stringify(raw[1]()), ok: (s: number) => s === 200 } : null,
  });
  const anonymous = { "content-type": "application/json" };
  return {
    floor: {
      vault: { url: `${vaultBase}/api/graphql`, headers: anonymous, body: () => '{"query":"{__typename}"}', ok: gqlOk },
      raw: rawBase ? { url: `${rawBase}/floor`, headers: anonymous, body: () => "{}", ok: (s: number) => s === 200 } : null,
    },
    resolve100: pair(() => ({ query: 'mutation{resolveEnvironment(consumer:"c100"){variables{name value}}}' }), ["/resolve", () => ({ consumer: "c100" })]),
    resolve1: pair(() => ({ query: 'mutation{resolveEnvironment(consumer:"c1"){variables{name value}}}' }), ["/resolve", () => ({ consumer: "c1" })]),
    list100: pair(() => ({ query: listQuery, variables: { s: slug, f: 100 } }), ["/list", () => ({ slug, first: 100 })]),
    list1000: pair(() => ({ query: listQuery, variables: { s: slug, f: 1000 } }), ["/list", () => ({ slug, first: 1000 })]),
    create: pair(
      () => ({ query: "mutation($i:CreateSecretInput!){createSecret(input:$i){id}}", variables: { i: { projectSlug: slug, name: unique(), value: value(), storage: "DATABASE" } } }),
      ["/create", () => ({ name: unique(), value: value() })],
    ),
  };
}

async function startRaw(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "bench/raw-server.ts"], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`raw server exited ${code}`)));
  });
  return child;
}

async function runBackend(name: "postgres" | "embedded", databaseUrl: string | null) {
  const keys = { SECRETS_ENCRYPTION_KEY: randomBytes(32).toString("base64"), NEXTAUTH_SECRET: randomBytes(32).toString("base64") };
  const dataDir = mkdtempSync(join(tmpdir(), `vault-bench-${name}-`));
  // SSM (scenario 7) is measured once, on PostgreSQL. With SSM configured it is a production
  // server's default storage: every other secret here is created with storage DATABASE, as the raw
  // baseline stores them.
  const ssm = name === "postgres" && wantSsm ? await startSsmCounter() : null;
  if (name === "postgres" && wantSsm && !ssm) say("No SSM-compatible server (install moto: moto_server): scenario 7 is NOT measured.");
  const env: Record<string, string> = { ...(databaseUrl ? { DATABASE_URL: databaseUrl, ...keys } : {}), ...ssm?.env };
  say(`\n## ${name}: starting the production server and seeding 1,000 secrets, consumers of 100 and 1…`);
  const server = await startVault({ dataDir, port: name === "postgres" ? 3401 : 3402, env });
  const cliEnv = (databaseUrl ? { ...process.env, NODE_ENV: "production", ...env } : { ...process.env, VAULT_DATA_DIR: dataDir, DATABASE_URL: "" }) as NodeJS.ProcessEnv;
  const { slug, token } = await seed(server, cliEnv);
  const raw = databaseUrl ? await startRaw(env, 3403) : null;
  const t = targets(server.baseURL, raw ? "http://127.0.0.1:3403" : null, slug, token);
  const results: Record<string, { vault: Figures; raw: Figures | null }> = {};
  const memory = { nextPeakMb: 0, treePeakMb: 0 };
  const nextPid = nextServerPid(server.process.pid!);
  const sample = () => {
    if (nextPid) memory.nextPeakMb = Math.max(memory.nextPeakMb, rssMb(nextPid, false));
    memory.treePeakMb = Math.max(memory.treePeakMb, rssMb(server.process.pid!, true));
  };
  for (const s of SCENARIOS) {
    say(`${s.label}…`);
    results[s.key] = await compare(t[s.key].vault, t[s.key].raw, "memory" in s ? sample : undefined);
  }
  raw?.kill("SIGTERM");
  let ssmCalls: Awaited<ReturnType<typeof measureSsm>> | null = null;
  if (ssm) {
    say("resolve a consumer with 100 SSM-backed secrets (moto)…");
    ssmCalls = await measureSsm(server, ssm, slug, token);
    await ssm.stop();
  }
  await server.stop();
  return { results, memory, ssmCalls };
}

function table(name: string, run: Awaited<ReturnType<typeof runBackend>>) {
  const lines = [
    `\n### ${name}`,
    "",
    "| scenario | vault p50 ms (1 client) | raw p50 ms | ratio (target) | vault p99 ms | vault req/s at 1 / 8 clients | raw req/s at 1 / 8 | vault p50 / p99 ms at 8 | errors |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of SCENARIOS) {
    const { vault, raw } = run.results[s.key];
    const ratio = raw ? round2(vault.p50 / raw.p50) : null;
    lines.push(
      `| ${s.label} | ${vault.p50} | ${raw?.p50 ?? "–"} | ${ratio ?? "–"}× ${s.target ? `(≤ ${s.target}×)` : "(no target)"} | ${vault.p99} | ${vault.perSecond1} / ${vault.perSecond8} | ${raw ? `${raw.perSecond1} / ${raw.perSecond8}` : "–"} | ${vault.p50at8} / ${vault.p99at8} | ${vault.errors} |`,
    );
  }
  lines.push("", `Memory under scenario 1 at 8 clients: Next server ${run.memory.nextPeakMb} MB RSS, whole \`npm start\` process tree ${run.memory.treePeakMb} MB.`);
  if (run.ssmCalls) {
    const s = run.ssmCalls;
    lines.push(
      "",
      `SSM (moto): resolving a consumer with ${s.secrets} SSM-backed secrets makes ${s.callsPerResolution} SSM calls (target ≤ ${s.target}: ${JSON.stringify(s.byAction)}), p50 ${s.p50} ms.`,
    );
  }
  return lines.join("\n");
}

async function main() {
  const pgUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "";
  const wanted = (process.env.BENCH_BACKENDS ?? (pgUrl ? "postgres,embedded" : "embedded")).split(",");
  const out: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    secondsPerMeasurement: SECONDS,
    rounds: ROUNDS,
  };
  const printed: string[] = [];
  for (const backend of wanted) {
    if (backend === "postgres" && !pgUrl) continue;
    const run = await runBackend(backend as "postgres" | "embedded", backend === "postgres" ? pgUrl : null);
    out[backend] = {
      scenarios: Object.fromEntries(
        SCENARIOS.map((s) => {
          const { vault, raw } = run.results[s.key];
          return [s.key, { label: s.label, ratio: raw ? round2(vault.p50 / raw.p50) : null, target: s.target, vault, raw }];
        }),
      ),
      memoryMb: { nextServerPeak: run.memory.nextPeakMb, processTreePeak: run.memory.treePeakMb, target: backend === "postgres" ? { nextServer: 250 } : { processTree: 400 } },
      ...(run.ssmCalls ? { ssm: run.ssmCalls } : {}),
    };
    printed.push(table(backend === "postgres" ? "PostgreSQL (vault ÷ raw baseline, same run)" : "Embedded default (PGlite, vault only)", run));
  }
  const file = writeResults("http", out);
  say(`\n## Over HTTP — ${out.machine}, ${out.date}`);
  for (const p of printed) say(p);
  say(`\nwritten to ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
