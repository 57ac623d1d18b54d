// Scenario 7 of `npm run bench`: the SSM calls a resolution makes, counted on the wire. The vault
// talks to an SSM-compatible server (moto: AWS_ENDPOINT_URL_SSM when set, as CI does, else a
// moto_server started here) through this counting proxy, so the production build is measured as
// it runs, with no hook inside it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "../e2e/postgres-cluster";

export interface SsmCounter {
  env: Record<string, string>;
  counts: () => Record<string, number>;
  reset: () => void;
  stop: () => Promise<void>;
}

async function upstream(): Promise<{ url: string; child: ChildProcess | null } | null> {
  if (process.env.AWS_ENDPOINT_URL_SSM) return { url: process.env.AWS_ENDPOINT_URL_SSM, child: null };
  if (spawnSync("sh", ["-c", "command -v moto_server"]).status !== 0) return null;
  const port = await freePort();
  // Its own process group: moto_server may be a launcher script with the server as its child.
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", detached: true });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 60; i++) {
    if (await fetch(url).then(() => true, () => false)) return { url, child };
    await new Promise((r) => setTimeout(r, 500));
  }
  process.kill(-child.pid!, "SIGKILL");
  return null;
}

export async function startSsmCounter(): Promise<SsmCounter | null> {
  const target = await upstream();
  if (!target) return null;
  const calls = new Map<string, number>();
  const base = new URL(target.url);
  const proxy = http.createServer((req, res) => {
    // AmazonSSM.GetParameters → GetParameters
    const action = String(req.headers["x-amz-target"] ?? "other").replace(/^AmazonSSM\./, "");
    calls.set(action, (calls.get(action) ?? 0) + 1);
    const forward = http.request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: { ...req.headers, host: base.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    env: {
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      VAULT_SSM_KMS_KEY_ID: "alias/vault-bench",
      VAULT_SSM_PREFIX: `/vault-bench/${process.pid}`,
    },
    counts: () => Object.fromEntries(calls),
    reset: () => calls.clear(),
    stop: async () => {
      await new Promise((r) => proxy.close(r));
      if (target.child) process.kill(-target.child.pid!, "SIGKILL");
    },
  };
}
