// Scenario 7 of `npm run bench`: the SSM calls a resolution makes, counted on the wire. The vault
// talks to an SSM-compatible server (moto: AWS_ENDPOINT_URL_SSM when set, as CI does, else a
// moto_server started here) through this counting proxy, so the production build is measured as
// it runs, with no hook inside it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startMoto } from "../test/moto";

export interface SsmCounter {
  env: Record<string, string>;
  counts: () => Record<string, number>;
  reset: () => void;
  stop: () => Promise<void>;
}

export async function startSsmCounter(): Promise<SsmCounter | null> {
  const target = await startMoto();
  if (!target.endpoint) return null;
  const calls = new Map<string, number>();
  const base = new URL(target.endpoint);
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
      target.stop();
    },
  };
}
