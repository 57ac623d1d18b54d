// Faults of SSM under load: throttling, then a 30 s outage. The vault talks to moto through an HTTP
// front of this test's own that can answer SSM's ThrottlingException or stop listening (a real
// closed port, as when SSM is unreachable); moto keeps its parameters in memory, so stopping moto
// itself would lose them and prove nothing about recovery.
// SSM-backed reads and writes answer UNAVAILABLE within the deadline (VAULT_SSM_DEADLINE_MS, 3 s in
// tests), database-backed secrets keep working, nothing is recorded as written that was not, and
// SSM works again as soon as it is back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { tokenActor, type Actor } from "../auth/actor";
import { attachSecret } from "../consumers/attach-secret";
import { createConsumer } from "../consumers/create-consumer";
import { resolveEnvironment } from "../consumers/resolve-environment";
import { db } from "../db/client";
import { AppError } from "../errors";
import { createSecret } from "../secrets/create-secret";
import { updateSecret } from "../secrets/update-secret";
import { createApiToken } from "../tokens/api-tokens";
import { newTeam } from "../../test/fixtures";
import { resetSsmCallCounts, ssmCallCounts, useSsmEndpoint } from "./ssm";

const endpoint = inject("ssmEndpoint");
const DEADLINE_MS = 3000;
// The database work around the SSM calls, on a busy 2-core CI machine.
const SLACK_MS = 3000;
const OUTAGE_MS = 30_000;
const N = 20;
const valueOf = (name: string) => `value-of-${name}-0123456789`;

// An HTTP front for moto: passes requests through, throttles a share of them, or goes away.
async function ssmFront(target: string) {
  let throttle = 0;
  let throttled = 0;
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on("data", (c: Buffer) => body.push(c));
    req.on("end", () => {
      if (Math.random() < throttle) {
        throttled += 1;
        res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ThrottlingException" });
        return res.end(JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }));
      }
      const upstream = http.request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      upstream.on("error", () => res.writeHead(502).end());
      upstream.end(Buffer.concat(body));
    });
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    setThrottle: (share: number) => (throttle = share),
    throttled: () => throttled,
    // Stops listening and cuts open connections: callers get connection refused.
    down: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    up: () => listen(port),
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

interface Outcome {
  op: string;
  code: string;
  ms: number;
  name?: string;
}
const timed = async (op: string, p: () => Promise<unknown>, name?: string): Promise<Outcome> => {
  const started = Date.now();
  const code = await p().then(
    () => "OK",
    (e) => (e instanceof AppError ? e.code : `${(e as Error).name}: ${(e as Error).message}`),
  );
  return { op, code, ms: Date.now() - started, name };
};
const codes = (outcomes: Outcome[], op: string) => [...new Set(outcomes.filter((o) => o.op === op).map((o) => o.code))].sort();

type Team = Awaited<ReturnType<typeof newTeam>>;
let team: Team;
let runner: Actor;
let front: Awaited<ReturnType<typeof ssmFront>>;
const raw = new SSMClient({ region: "us-east-1", endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
const ssmIds: string[] = [];

beforeAll(async () => {
  if (!endpoint) throw new Error("No SSM-compatible server: install moto (provides moto_server) or set AWS_ENDPOINT_URL_SSM");
  front = await ssmFront(endpoint);
  useSsmEndpoint(front.url);
  team = await newTeam();
  const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "runner", scopes: ["secrets:inject"] });
  runner = (await tokenActor(token))!;
  const ssm = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: "ssm-svc" });
  const database = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: "db-svc" });
  for (let i = 0; i < N; i++) {
    const s = `SSM_${String(i).padStart(2, "0")}`;
    const d = `DB_${String(i).padStart(2, "0")}`;
    ssmIds.push((await createSecret(team.editor.actor, { projectSlug: team.slug, name: s, value: valueOf(s), storage: "SSM" })).id);
    await createSecret(team.editor.actor, { projectSlug: team.slug, name: d, value: valueOf(d), storage: "DATABASE" });
    await attachSecret(team.editor.actor, { consumerId: ssm.id, secretName: s });
    await attachSecret(team.editor.actor, { consumerId: database.id, secretName: d });
  }
}, 120_000);

afterAll(async () => {
  useSsmEndpoint(endpoint);
  await front?.close();
});

const resolveOk = async (consumer: string, prefix: string) => {
  const env = await resolveEnvironment(runner, consumer);
  expect(env.variables).toHaveLength(N);
  for (const v of env.variables) expect(v.value, v.name).toBe(valueOf(v.name));
  expect(env.variables.every((v) => v.name.startsWith(prefix))).toBe(true);
};

describe("SSM faults under load", () => {
  it("throttling: reads retry and succeed, or answer UNAVAILABLE within the deadline; database secrets are unaffected", async () => {
    front.setThrottle(0.4);
    resetSsmCallCounts();
    const outcomes: Outcome[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 4; i++) {
          outcomes.push(await timed("ssm resolve", () => resolveOk("ssm-svc", "SSM_")));
          outcomes.push(await timed("db resolve", () => resolveOk("db-svc", "DB_")));
        }
      }),
    );
    expect(front.throttled()).toBeGreaterThan(0);
    // More calls than the 2 GetParameters a resolution needs: the throttled ones were retried.
    expect(ssmCallCounts().GetParametersCommand).toBeGreaterThan(2 * 32);
    expect(codes(outcomes, "db resolve")).toEqual(["OK"]);
    const ssm = codes(outcomes, "ssm resolve");
    expect(ssm.filter((c) => c !== "OK" && c !== "UNAVAILABLE")).toEqual([]);
    expect(ssm).toContain("OK");
    expect(outcomes.filter((o) => o.ms > DEADLINE_MS + SLACK_MS)).toEqual([]);

    // Throttled without end: UNAVAILABLE saying so, inside the deadline, and no write recorded.
    front.setThrottle(1);
    try {
      await throttledWithoutEnd();
    } finally {
      front.setThrottle(0);
    }
    await resolveOk("ssm-svc", "SSM_");
  }, 120_000);

  async function throttledWithoutEnd() {
    const refused = await Promise.all([
      timed("ssm resolve", () => resolveEnvironment(runner, "ssm-svc")),
      timed("ssm create", () => createSecret(team.editor.actor, { projectSlug: team.slug, name: "THROTTLED_NEW", value: "v-0123456789", storage: "SSM" })),
      timed("db resolve", () => resolveOk("db-svc", "DB_")),
    ]);
    expect(refused.map((o) => o.code)).toEqual(["UNAVAILABLE", "UNAVAILABLE", "OK"]);
    expect(refused.filter((o) => o.ms > DEADLINE_MS + SLACK_MS)).toEqual([]);
    const message = await resolveEnvironment(runner, "ssm-svc").catch((e: AppError) => e.message);
    expect(message).toMatch(/SSM Parameter Store (is unavailable for .*: requests are being throttled|did not answer in time)/);
    expect(await db().secret.count({ where: { projectId: team.project.id, name: "THROTTLED_NEW" } })).toBe(0);
  }

  it("a 30 s outage under load: SSM answers UNAVAILABLE within the deadline, the database keeps serving, nothing half-written, then recovery", async () => {
    const versionsBefore = await db().secret.findMany({ where: { id: { in: ssmIds } }, select: { id: true, currentVersion: true } });
    await front.down();
    const outageStarted = Date.now();
    const outcomes: Outcome[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, c) => {
        for (let i = 0; Date.now() - outageStarted < OUTAGE_MS; i++) {
          const ssmName = `OUT_SSM_${c}_${i}`;
          const dbName = `OUT_DB_${c}_${i}`;
          const ops: [string, () => Promise<unknown>, string?][] = [
            ["ssm resolve", () => resolveEnvironment(runner, "ssm-svc")],
            ["db resolve", () => resolveOk("db-svc", "DB_")],
            ["ssm create", () => createSecret(team.editor.actor, { projectSlug: team.slug, name: ssmName, value: valueOf(ssmName), storage: "SSM" }), ssmName],
            ["db create", () => createSecret(team.editor.actor, { projectSlug: team.slug, name: dbName, value: valueOf(dbName), storage: "DATABASE" }), dbName],
            ["ssm update", () => updateSecret(team.editor.actor, { id: ssmIds[c], value: `outage-${i}-0123456789` })],
          ];
          const [op, run, name] = ops[i % ops.length];
          outcomes.push(await timed(op, run, name));
        }
      }),
    );
    const outageMs = Date.now() - outageStarted;
    await front.up();
    const backAt = Date.now();

    // While it was down: every SSM operation UNAVAILABLE within the deadline, every database one OK.
    for (const op of ["ssm resolve", "ssm create", "ssm update"]) expect(codes(outcomes, op), op).toEqual(["UNAVAILABLE"]);
    for (const op of ["db resolve", "db create"]) expect(codes(outcomes, op), op).toEqual(["OK"]);
    expect(outcomes.filter((o) => o.ms > DEADLINE_MS + SLACK_MS)).toEqual([]);
    expect(outcomes.filter((o) => o.op === "db resolve").length).toBeGreaterThan(4);

    // Nothing recorded as written that was not: no SSM secret created during the outage, no new
    // version of the updated ones; every database create is there.
    const ssmCreates = outcomes.filter((o) => o.op === "ssm create").map((o) => o.name!);
    const dbCreates = outcomes.filter((o) => o.op === "db create").map((o) => o.name!);
    expect(await db().secret.count({ where: { projectId: team.project.id, name: { in: ssmCreates } } })).toBe(0);
    expect(await db().secret.count({ where: { projectId: team.project.id, name: { in: dbCreates } } })).toBe(dbCreates.length);
    expect(await db().secret.findMany({ where: { id: { in: ssmIds } }, select: { id: true, currentVersion: true } })).toEqual(versionsBefore);
    expect(await db().ssmOrphan.count({ where: { parameterName: { contains: `/${team.project.id}/` } } })).toBe(0);

    // Back: SSM answers again at once, with the values and versions written before the outage.
    await resolveOk("ssm-svc", "SSM_");
    const recoveredInMs = Date.now() - backAt;
    expect(recoveredInMs).toBeLessThan(5_000);
    const rows = await db().secret.findMany({ where: { id: { in: ssmIds } }, select: { referencePath: true, name: true } });
    for (const row of rows) {
      const p = await raw.send(new GetParameterCommand({ Name: row.referencePath!, WithDecryption: true }));
      expect(p.Parameter!.Value).toBe(valueOf(row.name));
    }
    const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    console.log(
      `[ssm-outage] ${outcomes.length} operations over ${outageMs} ms of outage; ` +
        `p50 ${ms[Math.floor(ms.length / 2)]} ms, max ${ms[ms.length - 1]} ms; recovered in ${recoveredInMs} ms`,
    );
  }, 120_000);
});
