// `npm start`: serve the vault. Without DATABASE_URL it runs on the embedded default (PGlite in
// VAULT_DATA_DIR, served on a Unix socket inside that 0700 directory), generates local keys on first
// start, migrates, builds when the build is missing or stale, then runs `next start` and shuts
// everything down cleanly on SIGTERM.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { announceEmbeddedServer, dataDirFrom, idleInTransactionTimeoutFrom, runningEmbeddedServer } from "../lib/db/connect";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { EnvError, parseEnv } from "../lib/env";
import { withLocalKeys } from "../lib/local-keys";

const root = process.cwd();
const nextBin = join(root, "node_modules/.bin/next");
const say = (line: string) => process.stdout.write(`[vault] ${line}\n`);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = join(root, ".next/BUILD_ID");
  if (!existsSync(buildId)) return true;
  const inputs = ["app", "graphql", "lib", "public", "next.config.mjs", "package.json", "tsconfig.json"];
  return Math.max(...inputs.map((p) => newestMtime(join(root, p)))) > statSync(buildId).mtimeMs;
}

// The Next server's V8 old space is capped at NEXT_HEAP_MB unless NODE_OPTIONS already sets one:
// left alone, V8 lets garbage pile up to ~140 MB of heap under load (about 350 MB resident) although
// what is live stays near 70 MB; capped, it collects sooner and stays near 250 MB resident, at no
// measurable cost in latency (npm run bench). Raise it for very large clones or imports with
// NODE_OPTIONS=--max-old-space-size=<MB>.
const NEXT_HEAP_MB = 160;
function withHeapLimit(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = env.NODE_OPTIONS ?? "";
  if (/--max-old-space-size/.test(options)) return env;
  return { ...env, NODE_OPTIONS: `${options} --max-old-space-size=${NEXT_HEAP_MB}`.trim() };
}

async function countUsers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM "User"');
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

async function main() {
  const dev = process.argv.includes("--dev");
  const dataDir = dataDirFrom(process.env);
  const embedded = !process.env.DATABASE_URL;
  const childEnv = withLocalKeys(
    { ...process.env, NODE_ENV: dev ? "development" : "production", NEXT_TELEMETRY_DISABLED: "1" },
    dataDir,
    say,
    embedded,
  );
  const port = Number(childEnv.PORT || 3000);
  const host = childEnv.HOST || "127.0.0.1";
  childEnv.NEXTAUTH_URL ||= `http://localhost:${port}`;

  // Refuse a bad configuration before touching anything. The URL checked here for the embedded
  // case is a placeholder: the real one exists once the database is served.
  try {
    parseEnv(embedded ? { ...childEnv, DATABASE_URL: "postgresql://embedded" } : childEnv);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const idleInTransactionTimeoutMs = embedded ? idleInTransactionTimeoutFrom(childEnv) : 0;

  let database: EmbeddedDatabase | undefined;
  let unannounce = () => {};
  const shutdownDatabase = async () => {
    unannounce();
    await database?.close();
  };
  if (embedded) {
    if (runningEmbeddedServer(dataDir)) {
      process.stderr.write(`[vault] another vault server is already using ${dataDir}\n`);
      process.exit(1);
    }
    database = await startEmbeddedDatabase({ dataDir, idleInTransactionTimeoutMs, log: say });
    unannounce = announceEmbeddedServer(dataDir, database.url);
    Object.assign(childEnv, { DATABASE_URL: database.url, VAULT_EMBEDDED: "1", VAULT_DB_POOL_MAX: "4" });
  }

  try {
    const applied = await applyMigrations(childEnv.DATABASE_URL!);
    say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is current");
    if (!dev && buildIsStale()) {
      say("building the app (next build)…");
      const build = spawnSync(nextBin, ["build"], { stdio: "inherit", env: childEnv });
      if (build.status !== 0) throw new Error("next build failed");
    }
    say(embedded ? `data: ${dataDir} (embedded PostgreSQL, PGlite)` : "data: the PostgreSQL database in DATABASE_URL");
    if ((await countUsers(childEnv.DATABASE_URL!)) === 0) {
      say("no users yet. Create the first admin with:");
      say("  npm run vault -- user create --email you@example.com --password '<password>' --admin");
    }
  } catch (error) {
    await shutdownDatabase();
    throw error;
  }

  say(`serving at http://localhost:${port} (bound to ${host})`);
  const child = spawn(nextBin, [dev ? "dev" : "start", "-p", String(port), "-H", host], { stdio: "inherit", env: withHeapLimit(childEnv) });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing in-flight requests…`);
    child.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  child.on("exit", async (code, signal) => {
    await shutdownDatabase();
    if (database) say("embedded database closed cleanly");
    process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0)));
  });
}

main().catch((error) => {
  process.stderr.write(`[vault] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
