import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "pglite" | "postgres";
    encryptionKey: string;
    nextauthSecret: string;
    // An SSM-compatible endpoint (moto), or "" when none could be found or started.
    ssmEndpoint: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// CI starts moto on 127.0.0.1:4566 and sets AWS_ENDPOINT_URL_SSM; elsewhere the suite starts
// moto_server itself when it is installed. Without one, the SSM tests fail and say why.
async function ssmServer(): Promise<{ endpoint: string; stop: () => void }> {
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

// One database per run, migrated once; tests scope their data by unique slugs and emails.
export default async function setup(project: TestProject) {
  let url: string;
  let close = async () => {};
  const kind = process.env.VAULT_TEST_DB === "postgres" ? "postgres" : "pglite";
  if (kind === "postgres") {
    url = process.env.TEST_DATABASE_URL ?? "";
    if (!url) throw new Error("VAULT_TEST_DB=postgres needs TEST_DATABASE_URL");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    await client.end();
  } else {
    const database = await startEmbeddedDatabase();
    url = database.url;
    close = database.close;
  }
  const applied = await applyMigrations(url);
  if (applied.length === 0) throw new Error("a fresh test database should have had migrations to apply");
  process.stdout.write(`[test] database: ${kind}, migrations applied: ${applied.length}\n`);
  project.provide("databaseUrl", url);
  project.provide("databaseKind", kind);
  project.provide("encryptionKey", randomBytes(32).toString("base64"));
  project.provide("nextauthSecret", randomBytes(32).toString("base64"));
  const ssm = await ssmServer();
  process.stdout.write(`[test] SSM endpoint: ${ssm.endpoint || "NONE (install moto: the SSM tests will fail)"}\n`);
  project.provide("ssmEndpoint", ssm.endpoint);
  return async () => {
    ssm.stop();
    await close();
  };
}
