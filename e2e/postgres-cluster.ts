// A throwaway PostgreSQL cluster for fault tests: its own data dir, port and socket dir, so a test
// can stop and start it (or kill it) without touching the shared server other tests use.
// Needs PostgreSQL's server binaries (Debian: postgresql-15, which .ci/run installs); without them
// createPostgresCluster throws saying so: a fault test must fail, not skip, when it cannot run.
import { spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface PostgresCluster {
  // postgresql://vault@127.0.0.1:<port>/vault (trust authentication, loopback only)
  url: string;
  port: number;
  dir: string;
  // Asynchronous, so a test's load keeps running (and is timed truly) while pg_ctl waits.
  start(): Promise<void>;
  // fast: roll back open transactions and close connections (what an operator's restart does);
  // immediate: like a crash (no checkpoint).
  stop(mode?: "fast" | "immediate"): Promise<void>;
  running(): boolean;
  log(): string;
  destroy(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  for (const version of ["15", "16", "17", "14"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  return "/usr/lib/postgresql/15/bin";
}

export async function createPostgresCluster(): Promise<PostgresCluster> {
  const bin = binDir();
  const initdb = join(bin, "initdb");
  if (!existsSync(initdb)) {
    throw new Error(`${initdb} not found: these fault tests run their own PostgreSQL cluster. Install the server (Debian: apt-get install postgresql-15, as .ci/run does) or set PG_BIN_DIR`);
  }
  // PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
  const asRoot = process.getuid?.() === 0;
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]] : [join(bin, program), args];
  const failure = (program: string, args: string[], how: string) =>
    new Error(`${program} ${args.join(" ")} failed (${how})${existsSync(logFile) ? `\n${readFileSync(logFile, "utf8").slice(-2000)}` : ""}`);
  // stdout ignored: the postmaster must not inherit (and hold open) a pipe of ours.
  const run = (program: string, args: string[]) => {
    const r = spawnSync(...command(program, args), { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw failure(program, args, `${r.status ?? r.signal}: ${r.stderr || r.error?.message}`);
  };
  const runAsync = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(...command(program, args), { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d) => (stderr += d));
      child.once("error", reject);
      child.once("close", (code, signal) => (code === 0 ? resolve() : reject(failure(program, args, `${code ?? signal}: ${stderr}`))));
    });

  // A short path: the socket (<dir>/.s.PGSQL.<port>) must fit in 107 bytes.
  const dir = mkdtempSync(join(tmpdir(), "vault-pg-"));
  const data = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  if (asRoot) {
    const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const uid = Number(ids.stdout.trim());
    const gid = Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim());
    if (ids.status !== 0 || !Number.isInteger(uid)) throw new Error("running as root but there is no postgres user to run PostgreSQL as");
    chownSync(dir, uid, gid);
  }
  run("initdb", ["-D", data, "-U", "vault", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  // fsync off: these clusters are thrown away, and the faults tested are the clients' (and a clean
  // stop), not the disk's.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  let up = false;
  const cluster: PostgresCluster = {
    url: `postgresql://vault@127.0.0.1:${port}/vault`,
    port,
    dir,
    async start() {
      await runAsync("pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", "-o", options, "start"]);
      up = true;
    },
    async stop(mode = "fast") {
      await runAsync("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]);
      up = false;
    },
    running: () => up,
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    destroy() {
      process.off("exit", cleanup);
      cleanup();
    },
  };
  // Synchronous: it also runs from the process's "exit" event.
  const cleanup = () => {
    if (existsSync(join(data, "postmaster.pid"))) {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"]);
      } catch {
        // already gone
      }
    }
    up = false;
    rmSync(dir, { recursive: true, force: true });
  };
  // A test that dies half-way must not leave a postmaster behind.
  process.on("exit", cleanup);
  await cluster.start();
  const admin = new pg.Client({ connectionString: `postgresql://vault@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    await admin.query("CREATE DATABASE vault");
  } finally {
    await admin.end();
  }
  return cluster;
}

// The operator CLI (`npm run vault -- …`) with a production configuration (the env given: at least
// DATABASE_URL and SECRETS_ENCRYPTION_KEY).
export function operatorCli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "bin/vault.ts", ...args], {
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

// One statement on its own connection (tests read what a vault wrote, or change it behind its back).
export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
