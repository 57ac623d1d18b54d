import "server-only";
import { AppError } from "../errors";

// ENV storage: the value lives in the vault server's own environment; the vault stores the
// variable's name. Whoever may inject in a project can read every variable its secrets point at,
// so the list of usable variables is per project and set by the operator (`npm run vault --
// project env-allow`), never by project members. The vault's own settings are never allowed, and
// neither is an entry that would allow everything (`*`) or Next's settings (`NEXT_*`).
const NEVER = /^(SECRETS_ENCRYPTION_KEY|NEXTAUTH_|NEXT_|DATABASE_URL|TEST_DATABASE_URL|AWS_|VAULT_|PG[A-Z]|NODE_|npm_)/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRY = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

export interface EnvAllowlisted {
  envAllowlist: readonly string[];
}

const matches = (entry: string, name: string) => (entry.endsWith("*") ? name.startsWith(entry.slice(0, -1)) : name === entry);

// Why an allowlist entry is refused, or null. Entries are names or prefixes ending in `*`.
export function allowlistEntryProblem(entry: string): string | null {
  if (!ENTRY.test(entry)) return "Each entry is a variable name or a PREFIX_* pattern";
  if (entry.endsWith("*") && entry.length < 4) return `${entry} is too broad: name a prefix of at least 3 characters`;
  if (NEVER.test(entry) || NEVER.test(entry.replace(/\*$/, ""))) return `${entry} names the vault's or Next.js's own settings, which secrets may never use`;
  // A prefix that covers one of the never-allowed names would allow them too.
  if (entry.endsWith("*") && ["SECRETS_ENCRYPTION_KEY", "NEXTAUTH_SECRET", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "DATABASE_URL", "AWS_", "VAULT_", "NODE_", "PGPASSWORD"].some((n) => matches(entry, n))) {
    return `${entry} would cover the vault's own settings`;
  }
  return null;
}

export const envStorageConfigured = (project: EnvAllowlisted) => project.envAllowlist.length > 0;

// Why this project may not point a secret at the variable `name`, or null when it may.
export function envVarProblem(name: string | null | undefined, project: EnvAllowlisted): string | null {
  if (!name) return "Name the server environment variable that holds the value";
  if (!VAR_NAME.test(name)) return "Environment variable names use letters, digits and underscores";
  if (NEVER.test(name) || !project.envAllowlist.some((entry) => matches(entry, name))) {
    // The name is not echoed: a value pasted into this field must not come back.
    return "This project may not use that server environment variable: the vault operator allows variables per project (npm run vault -- project env-allow)";
  }
  return null;
}

export function assertEnvVarAllowed(name: string | null | undefined, project: EnvAllowlisted): string {
  const problem = envVarProblem(name, project);
  if (problem) throw new AppError("BAD_USER_INPUT", problem, { field: "envVar" });
  return name!;
}

// Reads a variable at resolution time, checking again that the project may still use it: an
// operator who removes a variable from the list cuts off every secret pointing at it.
export function readEnvVar(name: string, secretName: string, project: EnvAllowlisted): Buffer {
  if (envVarProblem(name, project)) {
    throw new AppError("FORBIDDEN", `${secretName} points at the environment variable ${name}, which this project may no longer use`);
  }
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new AppError("UNAVAILABLE", `The environment variable ${name} that holds ${secretName} is not set on the vault server`);
  }
  return Buffer.from(value, "utf8");
}
