// What the benchmark scripts share: the operator CLI, process memory and the results file.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

// The operator CLI (`npm run vault -- …`) with the given environment; its stdout.
export function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "bin/vault.ts", ...args], { env });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`vault ${args.join(" ")}: ${err}`)))));
}

// Resident memory (MB) of a process, or of it and every descendant.
export function rssMb(pid: number, tree = true): number {
  const table = execFileSync("ps", ["-eo", "pid=,ppid=,rss="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
  const pids = new Set([pid]);
  for (let grew = tree; grew; ) {
    grew = false;
    for (const [p, pp] of table) if (pids.has(pp) && !pids.has(p)) (pids.add(p), (grew = true));
  }
  return Math.round(table.filter(([p]) => pids.has(p)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024);
}

// bench/results/latest.json holds each part's figures under its own key (http, inProcess).
export function writeResults(key: string, value: unknown, file = "bench/results/latest.json") {
  mkdirSync("bench/results", { recursive: true });
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // first run
  }
  writeFileSync(file, JSON.stringify({ ...previous, [key]: value }, null, 2) + "\n");
  return file;
}
