import "server-only";
import { z } from "zod";

// Every environment variable the vault reads, parsed once. The app refuses to boot on a bad one.

const base64Key = z
  .string()
  .trim()
  .refine((s) => /^[A-Za-z0-9+/]{43}=$/.test(s) && Buffer.from(s, "base64").length === 32, {
    message: "must be 32 random bytes, base64-encoded (generate one with: openssl rand -base64 32)",
  });

const keyRing = z
  .string({ error: "is not set (generate one with: openssl rand -base64 32)" })
  .trim()
  .min(1, "is empty (generate one with: openssl rand -base64 32)")
  .transform((s) => s.split(",").map((k) => k.trim()).filter(Boolean))
  .pipe(z.array(base64Key).min(1));

const optional = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== "" ? s.trim() : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string({ error: "is not set: start the vault with `npm start`, which serves the embedded database, or point it at PostgreSQL" })
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
  // Set by bin/start.ts when it serves the embedded PGlite database on loopback.
  VAULT_EMBEDDED: z.enum(["0", "1"]).default("0"),
  VAULT_DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  VAULT_DATA_DIR: z.string().default(".vault-data"),
  // Comma-separated master keys: the first encrypts new data keys, the others only decrypt (key rotation).
  SECRETS_ENCRYPTION_KEY: keyRing,
  NEXTAUTH_SECRET: z.string({ error: "is not set (generate one with: openssl rand -base64 32)" }).min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)"),
  NEXTAUTH_URL: optional,
  AWS_REGION: optional,
  AWS_ENDPOINT_URL_SSM: optional,
  VAULT_SSM_KMS_KEY_ID: z.string().default("alias/aws/ssm"),
  VAULT_SSM_PREFIX: z.string().regex(/^(\/[A-Za-z0-9_.-]+)+$/, "must look like /vault/secrets").default("/vault/secrets"),
  VAULT_SSM_TIER: z.enum(["standard", "advanced"]).default("standard"),
  // A caller never waits longer than this for SSM, retries included.
  VAULT_SSM_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  // Replaced by per-project allowlists: one list for the whole server let anyone who can inject in
  // any project (her Personal one included) read every allowed variable.
  VAULT_ENV_ALLOWLIST: z
    .string()
    .optional()
    .refine((v) => !v, "is no longer read: allow server variables per project with npm run vault -- project env-allow --project <slug> --allow NAME"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Sign-in: how many proxies in front of the vault append the client's address to X-Forwarded-For
  // (0: clients connect directly). lib/auth/client-address.ts explains which entry is trusted.
  VAULT_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // A lower scrypt work factor for the test suite only (lib/auth/password.ts).
  VAULT_TEST_SCRYPT_N: optional,
}).refine((e) => !e.VAULT_TEST_SCRYPT_N || e.NODE_ENV === "test", {
  path: ["VAULT_TEST_SCRYPT_N"],
  message: "is only for the test suite: unset it (passwords would be hashed with a weak work factor)",
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`The vault cannot start: ${problems.join("; ")}`);
    this.name = "EnvError";
  }
}

// Messages name the variable and the fix, never the value given.
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${String(i.path[0])} ${i.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
