import "server-only";
import { env } from "../env";
import { AppError } from "../errors";

// ENV storage: the value lives in the vault server's own environment; the vault stores the
// variable's name. Only variables the operator allows (VAULT_ENV_ALLOWLIST) can be used, and never
// the vault's own settings, so nobody can point a secret at the master key.
const NEVER = /^(SECRETS_ENCRYPTION_KEY|NEXTAUTH_|DATABASE_URL|TEST_DATABASE_URL|AWS_|VAULT_|PG[A-Z]|NODE_|npm_)/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envStorageConfigured = () => env().VAULT_ENV_ALLOWLIST.length > 0;

export function assertEnvVarAllowed(name: string | null | undefined): string {
  if (!name) throw new AppError("BAD_USER_INPUT", "Name the server environment variable that holds the value", { field: "envVar" });
  if (!VAR_NAME.test(name)) throw new AppError("BAD_USER_INPUT", "Environment variable names use letters, digits and underscores", { field: "envVar" });
  const allowed = env().VAULT_ENV_ALLOWLIST.some((entry) => (entry.endsWith("*") ? name.startsWith(entry.slice(0, -1)) : name === entry));
  if (NEVER.test(name) || !allowed) {
    throw new AppError("BAD_USER_INPUT", `The vault server does not allow secrets to use the environment variable ${name} (see VAULT_ENV_ALLOWLIST)`, {
      field: "envVar",
    });
  }
  return name;
}

export function readEnvVar(name: string, secretName: string): Buffer {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new AppError("UNAVAILABLE", `The environment variable ${name} that holds ${secretName} is not set on the vault server`);
  }
  return Buffer.from(value, "utf8");
}
