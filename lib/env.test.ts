import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const KEY = Buffer.alloc(32, 7).toString("base64");
const base = {
  DATABASE_URL: "postgresql://vault@localhost/vault",
  SECRETS_ENCRYPTION_KEY: KEY,
  NEXTAUTH_SECRET: "x".repeat(44),
};

function problems(env: Record<string, string | undefined>) {
  try {
    parseEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as Error).message;
  }
  throw new Error("expected the environment to be refused");
}

describe("environment", () => {
  it("parses a good environment with defaults", () => {
    const env = parseEnv(base);
    expect(env.PORT).toBe(3000);
    expect(env.VAULT_DATA_DIR).toBe(".vault-data");
    expect(env.SECRETS_ENCRYPTION_KEY).toEqual([KEY]);
    expect(env.VAULT_SSM_PREFIX).toBe("/vault/secrets");
  });

  it("accepts a key ring: the first key is active, the rest decrypt", () => {
    const other = Buffer.alloc(32, 9).toString("base64");
    expect(parseEnv({ ...base, SECRETS_ENCRYPTION_KEY: `${other}, ${KEY}` }).SECRETS_ENCRYPTION_KEY).toEqual([other, KEY]);
  });

  it("refuses a missing key, naming the variable and how to generate one", () => {
    const message = problems({ ...base, SECRETS_ENCRYPTION_KEY: undefined });
    expect(message).toContain("SECRETS_ENCRYPTION_KEY");
    expect(message).toContain("openssl rand -base64 32");
  });

  it("refuses a malformed key without echoing it", () => {
    const bad = "c2hvcnQta2V5LXRoYXQtaXMtbm90LTMyLWJ5dGVz";
    const message = problems({ ...base, SECRETS_ENCRYPTION_KEY: bad });
    expect(message).toContain("SECRETS_ENCRYPTION_KEY must be 32 random bytes");
    expect(message).not.toContain(bad);
  });

  it("refuses a short NEXTAUTH_SECRET and a non-postgres DATABASE_URL", () => {
    expect(problems({ ...base, NEXTAUTH_SECRET: "short" })).toContain("NEXTAUTH_SECRET");
    expect(problems({ ...base, DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL must be a postgresql:// URL");
  });
});
