import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { admin, shot, signIn } from "./helpers";
import { createVaultClient } from "secrets-vault/client";
import { vaultCli } from "./vault-server";

// The client CLI (VAULT_URL, VAULT_TOKEN) against the running vault, end to end.
test.describe.configure({ mode: "serial" });

const slug = "cli-e2e";
let token = "";
const DB_PASSWORD = "p@ss word-e2e-v2";
const OPENAI = "sk-openai-e2e-0123456789abcdef";

function client(args: string[], stdin?: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn("node", ["bin/vault-client.mjs", ...args], { env: { ...process.env, VAULT_URL: process.env.E2E_BASE_URL, VAULT_TOKEN: token } });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  child.stdin.end(stdin ?? "");
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

// Setup goes through the typed client, as scripts do.
const sdk = () => createVaultClient({ url: process.env.E2E_BASE_URL!, token });

test("secrets set reads values from stdin or a file, never argv", async () => {
  const dataDir = process.env.E2E_DATA_DIR!;
  vaultCli(dataDir, ["project", "create", "--slug", slug, "--name", "CLI e2e", "--owner", admin().email]);
  token = vaultCli(dataDir, ["token", "create", "--project", slug, "--name", "ci", "--scope", "secrets:read", "--scope", "secrets:manage", "--scope", "secrets:inject"])
    .trim()
    .split("\n")
    .pop()!;

  const first = await client(["secrets", "set", "DB_PASSWORD"], "p@ss word-e2e-v1\n");
  expect(first).toMatchObject({ code: 0, out: "created DB_PASSWORD: version 1 (p@ss••••••••e-v1)\n" });
  const file = join(mkdtempSync(join(tmpdir(), "vault-cli-")), "openai.txt");
  writeFileSync(file, OPENAI);
  expect((await client(["secrets", "set", "OPENAI_API_KEY", "--file", file])).out).toBe("created OPENAI_API_KEY: version 1 (sk-o••••••••cdef)\n");
  expect((await client(["secrets", "set", "DB_PASSWORD"], `${DB_PASSWORD}\n`)).out).toBe("updated DB_PASSWORD: version 2 (p@ss••••••••e-v2)\n");
  const empty = await client(["secrets", "set", "EMPTY"], "");
  expect(empty).toMatchObject({ code: 2, err: "vault: Secret value is required\n" });
});

test("vault run gives a child process the consumer's environment and passes its exit code through", async () => {
  const nightly = await sdk().consumers.create({
    kind: "TASK_TEMPLATE",
    name: "nightly",
    templates: [{ variable: "DATABASE_URL", template: "postgres://app:{{DB_PASSWORD}}@db/app" }],
  });
  await sdk().consumers.attach({ consumerId: nightly.id, secretName: "OPENAI_API_KEY" });
  await sdk().consumers.attach({ consumerId: nightly.id, secretName: "DB_PASSWORD" });

  const child = "process.stdout.write([process.env.DATABASE_URL, process.env.OPENAI_API_KEY, process.env.VAULT_TOKEN ?? 'no-token'].join('|')); process.exit(7)";
  const run = await client(["run", "--consumer", "nightly", "--", "node", "-e", child]);
  expect(run.code).toBe(7);
  expect(run.out).toBe(`postgres://app:${DB_PASSWORD}@db/app|${OPENAI}|no-token`);
  expect(run.err).toBe("");

  const missing = await client(["run", "--consumer", "nope", "--", "true"]);
  expect(missing).toMatchObject({ code: 2, err: "vault: NOT_FOUND: Consumer nope not found\n" });
});

test("vault export writes dotenv or JSON with a warning", async () => {
  const dotenv = await client(["export", "--consumer", "nightly", "--format", "dotenv"]);
  expect(dotenv.out).toBe(`DATABASE_URL='postgres://app:${DB_PASSWORD}@db/app'\nDB_PASSWORD='${DB_PASSWORD}'\nOPENAI_API_KEY='${OPENAI}'\n`);
  expect(dotenv.err).toContain("warning: the output contains secret values");
  expect(dotenv.err).not.toContain(DB_PASSWORD);
  const json = JSON.parse((await client(["export", "--consumer", "nightly", "--format", "json"])).out);
  expect(json).toEqual({ DATABASE_URL: `postgres://app:${DB_PASSWORD}@db/app`, DB_PASSWORD, OPENAI_API_KEY: OPENAI });
});

test("vault run --secret/--secret-id passes chosen secrets to a child and its exit code; two consumers merge, the later wins", async () => {
  const child = "process.stdout.write([process.env.OPENAI_API_KEY, process.env.DB_PASSWORD, process.env.DATABASE_URL ?? 'none'].join('|')); process.exit(3)";
  const chosen = await client(["run", "--secret", "OPENAI_API_KEY", "--secret", "DB_PASSWORD", "--", "node", "-e", child]);
  expect(chosen).toEqual({ code: 3, out: `${OPENAI}|${DB_PASSWORD}|none`, err: "" });
  const byId = await client(["run", "--secret-id", (await sdk().secrets.get("OPENAI_API_KEY"))!.id, "--", "node", "-e", child]);
  expect(byId).toEqual({ code: 3, out: `${OPENAI}||none`, err: "" });
  const missing = await client(["run", "--secret", "NO_SUCH_SECRET", "--", "node", "-e", "process.exit(0)"]);
  expect(missing).toEqual({ code: 2, out: "", err: "vault: NOT_FOUND: Secret(s) not found: NO_SUCH_SECRET\n" });

  const agent = await sdk().consumers.create({ kind: "AGENT", name: "agent", templates: [{ variable: "DATABASE_URL", template: "agent://{{DB_PASSWORD}}" }] });
  await sdk().consumers.attach({ consumerId: agent.id, secretName: "DB_PASSWORD" });
  const merged = await client(["run", "--consumer", "agent", "--consumer", "nightly", "--", "node", "-e", child]);
  expect(merged.code).toBe(3);
  expect(merged.out).toBe(`${OPENAI}|${DB_PASSWORD}|postgres://app:${DB_PASSWORD}@db/app`);
  expect(merged.err).toBe(
    "vault: warning: DATABASE_URL is set by agent: template and nightly: template; the last wins\n" +
      "vault: warning: DB_PASSWORD is set by agent: secret DB_PASSWORD and nightly: secret DB_PASSWORD; the last wins\n",
  );
  const reversed = await client(["run", "--consumer", "nightly", "--consumer", "agent", "--", "node", "-e", child]);
  expect(reversed.out).toBe(`${OPENAI}|${DB_PASSWORD}|agent://${DB_PASSWORD}`);
});

test("vault import reports per line what was created, skipped or refused; list and delete never print values", async () => {
  const imported = await client(["import", "--project", slug], ["# from .env", "NEW_ONE=first-import-value", "DB_PASSWORD=duplicate", "bad-name=x", "EMPTY=", "garbage"].join("\n"));
  expect(imported.out.split("\n")).toEqual([
    "line 2: NEW_ONE created",
    "line 3: DB_PASSWORD skipped (already exists)",
    "line 4: bad-name refused (Secret key must use uppercase letters, digits and underscores, and not start with a digit (^[A-Z_][A-Z0-9_]*$). Did you mean BAD_NAME?)",
    "line 5: EMPTY refused (Secret value is required)",
    "line 6: ? refused (not KEY=value)",
    "1 created, 1 skipped, 3 refused",
    "",
  ]);
  const list = await client(["secrets", "list"]);
  expect(list.out).toMatch(/^NAME\tSTORAGE\tVERSION\tHINT\tUPDATED\nDB_PASSWORD\tDATABASE\t2\tp@ss••••••••e-v2\t/);
  expect(list.out).toContain("NEW_ONE\tDATABASE\t1\tfirs••••••••alue\t");
  expect((await client(["secrets", "delete", "NEW_ONE"])).out).toBe("deleted NEW_ONE\n");
  for (const output of [imported.out, imported.err, list.out, list.err]) {
    for (const value of [DB_PASSWORD, OPENAI, "first-import-value", "duplicate"]) expect(output).not.toContain(value);
  }
});

test("secrets list --presets shows the presets; secrets set takes --preset, --description, --storage and --metadata", async () => {
  const presets = await client(["secrets", "list", "--presets"]);
  expect(presets.code).toBe(0);
  expect(presets.out.split("\n").slice(0, 4)).toEqual([
    "PRESET\tNAME\tPROVIDER\tTYPE\tFORMAT",
    "openai\tOPENAI_API_KEY\tOpenAI\tAPI key\tstarts with sk- followed by at least 20 letters, digits, - or _",
    "anthropic\tANTHROPIC_API_KEY\tAnthropic\tAPI key\tstarts with sk-ant-",
    "github\tGITHUB_TOKEN\tGitHub\tAccess token\tstarts with ghp_, gho_, ghu_, ghs_, ghr_ or github_pat_",
  ]);
  const gh = `ghp_${"c".repeat(36)}`;
  const set = await client(["secrets", "set", "--preset", "github", "--description", "CI token", "--storage", "DATABASE", "--metadata", "owner=ci", "--metadata", "ttl=30d"], `${gh}\n`);
  expect(set).toMatchObject({ code: 0, out: "created GITHUB_TOKEN: version 1 (ghp_••••••••cccc)\n" });
  expect(await sdk().secrets.get("GITHUB_TOKEN")).toMatchObject({ description: "CI token", storage: "DATABASE", type: "Access token", metadata: { owner: "ci", ttl: "30d" } });
  const wrong = await client(["secrets", "set", "--preset", "anthropic"], "not-an-anthropic-key\n");
  expect(wrong.code).toBe(2);
  expect(wrong.err).toContain("BAD_USER_INPUT: This does not look like a Anthropic API key");
  expect(wrong.err).not.toContain("not-an-anthropic-key");
  expect(await client(["secrets", "set", "X_META", "--metadata", "novalue"], "v\n")).toMatchObject({ code: 2, err: "vault: --metadata takes KEY=VALUE\n" });
  for (const output of [set.out, set.err]) expect(output).not.toContain(gh);
});

test("the dashboard shows the attachment and its last use", async ({ page }) => {
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/consumers`);
  const row = page.getByTestId("consumer-nightly");
  await expect(row).toContainText("OPENAI_API_KEY");
  await expect(row).toContainText("DATABASE_URL=postgres://app:{{DB_PASSWORD}}@db/app");
  await expect(row.getByTestId("last-used")).not.toHaveText("never");
  expect(await page.content()).not.toContain(DB_PASSWORD);
  await shot(page, "consumers");
});
