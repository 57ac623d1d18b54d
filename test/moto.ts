// An SSM-compatible server for the tests and the bench: the one in AWS_ENDPOINT_URL_SSM (CI starts
// moto on 127.0.0.1:4566), else a moto_server started here when it is installed, else none
// (endpoint ""): callers say loudly what that means for them.
import { spawn, spawnSync } from "node:child_process";
import { freePort } from "../e2e/postgres-cluster";

export async function startMoto(): Promise<{ endpoint: string; stop: () => void }> {
  if (process.env.AWS_ENDPOINT_URL_SSM) return { endpoint: process.env.AWS_ENDPOINT_URL_SSM, stop: () => {} };
  if (spawnSync("sh", ["-c", "command -v moto_server"]).status !== 0) return { endpoint: "", stop: () => {} };
  const port = await freePort();
  // Its own process group: moto_server may be a launcher script with the server as its child.
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore", detached: true });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(endpoint);
      return { endpoint, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  stop();
  return { endpoint: "", stop: () => {} };
}
