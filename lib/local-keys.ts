// Keys for the embedded default: generated on first start, kept in the data dir with mode 0600.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const KEY_FILES = {
  SECRETS_ENCRYPTION_KEY: "secrets-encryption.key",
  NEXTAUTH_SECRET: "nextauth-secret.key",
} as const;

export type LocalKeyName = keyof typeof KEY_FILES;

export const newKey = () => randomBytes(32).toString("base64");

export function keyFile(dataDir: string, name: LocalKeyName) {
  return join(dataDir, KEY_FILES[name]);
}

export function writeKeyFile(path: string, content: string) {
  writeFileSync(path, content + "\n", { mode: 0o600 });
  chmodSync(path, 0o600);
}

// Returns the key and whether it was generated just now.
export function loadOrCreateLocalKey(dataDir: string, name: LocalKeyName): { value: string; created: boolean } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = keyFile(dataDir, name);
  if (existsSync(path)) return { value: readFileSync(path, "utf8").trim(), created: false };
  const value = newKey();
  writeKeyFile(path, value);
  return { value, created: true };
}

// Fills SECRETS_ENCRYPTION_KEY and NEXTAUTH_SECRET from the data dir (creating them on first use)
// unless they are set, or the vault runs in production against the operator's own PostgreSQL, where
// a missing key must stop the boot instead. `embedded`: the database is the data dir's embedded one.
// Callers that already reach it through a URL (the CLI, via the running server's socket) must say
// so: a DATABASE_URL alone does not tell the operator's PostgreSQL from the embedded database.
export function withLocalKeys(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  say: (line: string) => void,
  embedded = !env.DATABASE_URL,
): NodeJS.ProcessEnv {
  const out = { ...env };
  if (out.NODE_ENV === "production" && !embedded) return out;
  for (const name of Object.keys(KEY_FILES) as LocalKeyName[]) {
    if (out[name]) continue;
    const { value, created } = loadOrCreateLocalKey(dataDir, name);
    out[name] = value;
    if (created) say(`generated ${name} in ${dataDir} (mode 0600). It is for local use: set ${name} yourself in production.`);
  }
  return out;
}
