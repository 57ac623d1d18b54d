// How processes outside the Next server (CLI, launcher, tests) reach the database: DATABASE_URL, or
// the embedded database, through the running server's socket when `npm start` is up, or by opening
// the data dir directly when it is not.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmbeddedDatabase } from "./embedded";
import { writeKeyFile } from "../local-keys";

export const dataDirFrom = (env: NodeJS.ProcessEnv) => resolve(process.cwd(), env.VAULT_DATA_DIR || ".vault-data");
const serverFile = (dataDir: string) => join(dataDir, "server.json");

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
  const database = await startEmbeddedDatabase(join(dataDir, "pgdata"));
  return { url: database.url, embedded: true, close: () => database.close() };
}
