// How processes outside the Next server (CLI, launcher, tests) reach the database: DATABASE_URL, or
// the embedded database, through the running server's Unix socket when `npm start` is up (its URL is
// in <dataDir>/server.json, mode 0600), or by opening the data dir directly when it is not.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS, startEmbeddedDatabase } from "./embedded";
import { writeKeyFile } from "../local-keys";

export const dataDirFrom = (env: NodeJS.ProcessEnv) => resolve(process.cwd(), env.VAULT_DATA_DIR || ".vault-data");
const serverFile = (dataDir: string) => join(dataDir, "server.json");

// VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS: how long the embedded database lets a connection sit idle inside
// a transaction (holding every other connection up) before rolling it back and closing it.
export function idleInTransactionTimeoutFrom(env: Record<string, string | undefined>): number {
  const raw = env.VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS;
  const ms = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(ms >= 100)) throw new Error("VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS must be a whole number of milliseconds, at least 100");
  return ms;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function announceEmbeddedServer(dataDir: string, url: string) {
  writeKeyFile(serverFile(dataDir), JSON.stringify({ pid: process.pid, url }));
  return () => rmSync(serverFile(dataDir), { force: true });
}

// The socket URL of a live `npm start` serving this data dir, if any.
export function runningEmbeddedServer(dataDir: string): string | null {
  const file = serverFile(dataDir);
  if (!existsSync(file)) return null;
  const running = JSON.parse(readFileSync(file, "utf8")) as { pid: number; url: string };
  return alive(running.pid) ? running.url : null;
}

export async function connectDatabase(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; embedded: boolean; close(): Promise<void> }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, close: async () => {} };
  const dataDir = dataDirFrom(env);
  const running = runningEmbeddedServer(dataDir);
  if (running) return { url: running, embedded: true, close: async () => {} };
  const database = await startEmbeddedDatabase({ dataDir, idleInTransactionTimeoutMs: idleInTransactionTimeoutFrom(env) });
  return { url: database.url, embedded: true, close: () => database.close() };
}
