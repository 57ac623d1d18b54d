import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ConflictError, createVaultClient, ForbiddenError, NotFoundError, VaultConnectionError, VaultError, type Secret } from "secrets-vault/client";
import { admin } from "./helpers";
import { vaultCli } from "./vault-server";

// The typed client (`secrets-vault/client`) used from a test script against the production build:
// secrets created from code as the product document shows, typed errors carrying the GraphQL code,
// and no value back except from consumers.resolve.
test.describe.configure({ mode: "serial" });

const slug = `sdk-${randomBytes(3).toString("hex")}`;
const canary = `CANARY_${randomBytes(16).toString("hex")}`;

function token(project: string, name: string, scopes: string[]) {
  const args = ["token", "create", "--project", project, "--name", name, ...scopes.flatMap((s) => ["--scope", s])];
  return vaultCli(process.env.E2E_DATA_DIR!, args).trim().split("\n").pop()!;
}

test("creates, lists, gets, updates, clones and deletes secrets from code; resolves them with an inject token", async () => {
  const dataDir = process.env.E2E_DATA_DIR!;
  vaultCli(dataDir, ["project", "create", "--slug", slug, "--name", "SDK e2e", "--owner", admin().email]);
  const url = process.env.E2E_BASE_URL!;
  const manage = token(slug, "sdk", ["secrets:read", "secrets:manage"]);
  const client = createVaultClient({ url, token: manage });
  const responses: string[] = [];
  // Every response body the SDK sees, to prove the canary never comes back outside resolve.
  const recording = createVaultClient({
    url,
    token: manage,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      responses.push(await res.clone().text());
      return res;
    },
  });

  const created: Secret = await recording.secrets.create({ name: "OPENAI_API_KEY", value: canary, description: "agent key", metadata: { team: "ml" } });
  expect(created).toMatchObject({ name: "OPENAI_API_KEY", description: "agent key", metadata: { team: "ml" }, version: 1 });
  expect(created.hint).toContain("•");
  // The types are the schema's: a Secret has no field that could carry its value.
  // @ts-expect-error value is not a field of Secret
  expect(created.value).toBeUndefined();
  await recording.secrets.create({ preset: "github", value: `ghp_${"b".repeat(36)}` });
  expect((await recording.secrets.list()).map((s) => s.name)).toEqual(["GITHUB_TOKEN", "OPENAI_API_KEY"]);
  expect((await recording.secrets.get("OPENAI_API_KEY"))?.id).toBe(created.id);
  expect(await recording.secrets.get("NOPE")).toBeNull();
  const updated = await recording.secrets.update("OPENAI_API_KEY", { value: `${canary}-2`, expectedVersion: 1 });
  expect(updated.version).toBe(2);
  const stale = await recording.secrets.update("OPENAI_API_KEY", { description: "stale", expectedVersion: 1 }).catch((e: unknown) => e);
  expect(stale).toBeInstanceOf(ConflictError);
  expect(stale).toMatchObject({ code: "CONFLICT" });
  expect((await recording.secrets.presets()).find((p) => p.id === "anthropic")?.name).toBe("ANTHROPIC_API_KEY");
  for (const body of responses) expect(body).not.toContain(canary);

  // Clone needs manage on both sides: a token sees its own project only.
  const cloned = await client.secrets.clone("OPENAI_API_KEY", process.env.E2E_PERSONAL_SLUG!).catch((e: unknown) => e);
  expect(cloned).toBeInstanceOf(NotFoundError);

  const inject = createVaultClient({ url, token: token(slug, "sdk-inject", ["secrets:inject"]) });
  const env = await inject.consumers.resolve({ names: ["OPENAI_API_KEY", "GITHUB_TOKEN"] });
  expect(env.variables).toEqual([
    { name: "GITHUB_TOKEN", value: `ghp_${"b".repeat(36)}` },
    { name: "OPENAI_API_KEY", value: `${canary}-2` },
  ]);
  const refused = await client.consumers.resolve({ names: ["OPENAI_API_KEY"] }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ForbiddenError);
  expect((refused as VaultError).code).toBe("FORBIDDEN");

  expect(await client.secrets.delete("GITHUB_TOKEN")).toMatchObject({ name: "GITHUB_TOKEN" });
  expect(await client.secrets.delete("GITHUB_TOKEN").catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);
  const unreachable = await createVaultClient({ url: "http://127.0.0.1:1", token: "vlt_x" }).secrets.list().catch((e: unknown) => e);
  expect(unreachable).toBeInstanceOf(VaultConnectionError);
});
