import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

function boot(env: Record<string, string | undefined>) {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["SECRETS_ENCRYPTION_KEY", "NEXTAUTH_SECRET", "DATABASE_URL"]) delete clean[name];
  // As `npm start` runs it: compiled, then plain node.
  expect(spawnSync(process.execPath, ["scripts/compile-start.mjs"]).status).toBe(0);
  return spawnSync(process.execPath, ["--conditions=react-server", "dist/start.mjs"], {
    env: { ...clean, PORT: "3999", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("npm start in production mode against PostgreSQL", () => {
  const production = { DATABASE_URL: "postgresql://vault@127.0.0.1:1/vault", NEXTAUTH_SECRET: "n".repeat(44) };

  it("refuses to boot without SECRETS_ENCRYPTION_KEY and says how to make one", () => {
    const run = boot(production);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SECRETS_ENCRYPTION_KEY is not set");
    expect(run.stderr).toContain("openssl rand -base64 32");
    expect(run.stdout).not.toContain("serving at");
  });

  it("refuses a malformed key without printing it", () => {
    const bad = "bm90LWEtcmVhbC1rZXk=";
    const run = boot({ ...production, SECRETS_ENCRYPTION_KEY: bad });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("SECRETS_ENCRYPTION_KEY must be 32 random bytes");
    expect(run.stderr + run.stdout).not.toContain(bad);
  });
});
