import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { startMoto } from "./moto";

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
  const ssm = await startMoto();
  process.stdout.write(`[test] SSM endpoint: ${ssm.endpoint || "NONE (install moto: the SSM tests will fail)"}\n`);
  project.provide("ssmEndpoint", ssm.endpoint);
  return async () => {
    ssm.stop();
    await close();
  };
}
