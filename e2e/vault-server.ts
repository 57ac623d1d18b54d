// Starts and stops a real vault (`npm start`: bin/start.ts compiled, production build, embedded database) for browser tests.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";

export interface VaultServer {
  baseURL: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

export async function startVault(opts: { dataDir: string; port: number; env?: Record<string, string> }): Promise<VaultServer> {
  let output = "";
  // As `npm start` runs it: bin/start.ts compiled, then node on it, no wrapper process.
  const compiled = spawnSync(process.execPath, ["scripts/compile-start.mjs"], { encoding: "utf8" });
  if (compiled.status !== 0) throw new Error(`compiling bin/start.ts failed:\n${compiled.stderr}`);
  const child = spawn(process.execPath, ["--conditions=react-server", "dist/start.mjs"], {
    env: { ...process.env, VAULT_DATA_DIR: opts.dataDir, PORT: String(opts.port), DATABASE_URL: "", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const baseURL = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vault exited early:\n${output}`);
    try {
      const res = await fetch(`${baseURL}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`vault did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    baseURL,
    dataDir: opts.dataDir,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill("SIGTERM");
      }),
  };
}

export function vaultCli(dataDir: string, args: string[]) {
  const run = spawnSync("node_modules/.bin/tsx", ["--conditions=react-server", "bin/vault.ts", ...args], {
    env: { ...process.env, VAULT_DATA_DIR: dataDir, DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`vault ${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

// The Next server itself: the descendant of `npm start` named next-server.
export function nextServerPid(rootPid: number): number | null {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const family = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) if (family.has(r.ppid) && !family.has(r.pid)) (family.add(r.pid), (grew = true));
  }
  return rows.find((r) => family.has(r.pid) && r.args.startsWith("next-server"))?.pid ?? null;
}

// SIGKILL a process and every descendant, as the kernel would on a crash of the whole service.
export function killTree(pid: number) {
  const table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) for (const [p, pp] of table) if (pp === pids[i]) pids.push(p);
  for (const p of pids) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids;
}

export const isGone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};
