import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { admin, shot, signIn } from "./helpers";
import { vaultCli } from "./vault-server";

// The consumer workflow in the dashboard, end to end: create, tick secrets, write templates, see
// the environment, resolve it with an inject token, see the last use.
test.describe.configure({ mode: "serial" });

const slug = "cons-e2e";
const CANARY = `CANARY_${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
const DB_PASSWORD = "db-password-e2e-0123";
let token = "";
const ids: Record<string, string> = {};

function recordResponses(page: Page) {
  const bodies: string[] = [];
  page.on("response", async (r) => {
    try {
      bodies.push(await r.text());
    } catch {
      // redirects and aborted requests have no body
    }
  });
  return bodies;
}

async function graphql(request: APIRequestContext, query: string, variables: object = {}) {
  const res = await request.post("/api/graphql", { data: { query, variables }, headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

test.beforeAll(async ({ request }) => {
  const dataDir = process.env.E2E_DATA_DIR!;
  vaultCli(dataDir, ["project", "create", "--slug", slug, "--name", "Consumers e2e", "--owner", admin().email]);
  token = vaultCli(dataDir, ["token", "create", "--project", slug, "--name", "runner", "--scope", "secrets:read", "--scope", "secrets:manage", "--scope", "secrets:inject"])
    .trim()
    .split("\n")
    .pop()!;
  const create = "mutation($input: CreateSecretInput!) { createSecret(input: $input) { id name } }";
  for (const [name, value, description] of [
    ["API_TOKEN", CANARY, "The canary"],
    ["DB_PASSWORD", DB_PASSWORD, "Reporting database"],
    ["UNTICKED", "unticked-value-0123", "Not for this consumer"],
  ]) {
    ids[name] = (await graphql(request, create, { input: { projectSlug: slug, name, value, description } })).createSecret.id;
  }
});

test("create a task template, tick two secrets (one aliased), add a template, see the environment, resolve it, see the last use", async ({ page, request }) => {
  const bodies = recordResponses(page);
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/consumers`);
  await expect(page.getByText("No consumers yet.")).toBeVisible();
  await page.getByLabel("Kind").selectOption("TASK_TEMPLATE");
  await page.getByLabel("Consumer name").fill("nightly report");
  await page.getByRole("button", { name: "Create consumer" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("nightly report");
  await expect(page.getByText("No secrets attached.")).toBeVisible();

  // Server-side search, then tick: API_TOKEN under the alias TOKEN, DB_PASSWORD as itself.
  await page.getByLabel("Search secrets to attach").fill("api");
  await expect(page.getByTestId("pick-DB_PASSWORD")).toHaveCount(0);
  await page.getByLabel("Alias for API_TOKEN").fill("TOKEN");
  await page.getByTestId("pick-API_TOKEN").getByRole("checkbox").check();
  const attached = page.getByRole("list", { name: "Attached secrets" });
  await expect(attached).toContainText("TOKEN ← API_TOKEN");
  await page.getByLabel("Search secrets to attach").fill("DB_");
  await page.getByTestId("pick-DB_PASSWORD").getByRole("checkbox").check();
  await expect(attached).toContainText("DB_PASSWORD");

  // The template editor: the server's messages inline before saving, placeholders highlighted.
  await page.getByRole("button", { name: "Add template" }).click();
  await page.getByLabel("Variable").fill("DATABASE_URL");
  const template = page.getByLabel("Template", { exact: true });
  const save = page.getByRole("button", { name: "Save templates" });
  await template.fill("postgres://app:{{DB_PASSWORD@db/app");
  await expect(page.getByRole("alert").filter({ hasText: "Unclosed placeholder" })).toBeVisible();
  await expect(save).toBeDisabled();
  await template.fill("postgres://app:{{NOPE}}@db/app");
  await expect(page.getByText("{{NOPE}}: there is no secret named NOPE in this project")).toBeVisible();
  await template.fill("{{UNTICKED}}");
  await expect(page.getByText("{{UNTICKED}}: UNTICKED is not attached to nightly report")).toBeVisible();
  await page.getByLabel("Variable").fill("NODE_OPTIONS");
  await expect(page.getByRole("alert").filter({ hasText: "NODE_OPTIONS" })).toBeVisible();
  await page.getByLabel("Variable").fill("DATABASE_URL");
  await template.fill("postgres://app:{{ DB_PASSWORD }}@db/app \\{{literal}}");
  await expect(page.locator("mark.ph-placeholder")).toHaveText("{{ DB_PASSWORD }}");
  await expect(page.locator("mark.ph-escape")).toHaveText("\\{{");
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Templates saved" })).toBeVisible();

  const env = page.getByRole("table", { name: "Effective environment" });
  await expect(env.getByTestId("env-TOKEN")).toContainText("attachment of API_TOKEN");
  await expect(env.getByTestId("env-DB_PASSWORD")).toContainText("attachment of DB_PASSWORD");
  await expect(env.getByTestId("env-DATABASE_URL")).toContainText("template postgres://app:{{ DB_PASSWORD }}@db/app");
  await shot(page, "consumer-editor");

  // A workload resolves it through the API with an inject token.
  const resolved = await graphql(request, 'mutation { resolveEnvironment(consumer: "nightly report") { variables { name value } } }');
  expect(Object.fromEntries(resolved.resolveEnvironment.variables.map((v: { name: string; value: string }) => [v.name, v.value]))).toEqual({
    DATABASE_URL: `postgres://app:${DB_PASSWORD}@db/app {{literal}}`,
    DB_PASSWORD,
    TOKEN: CANARY,
  });
  await page.reload();
  await expect(page.getByRole("list", { name: "Attached secrets" }).locator("time").first()).toHaveText(/just now|min ago/);
  await page.goto(`/projects/${slug}/consumers`);
  await expect(page.getByTestId("consumer-nightly report").getByTestId("last-used")).not.toHaveText("never");
  // …and on the secret's page, the blast radius with its last use.
  await page.goto(`/projects/${slug}`);
  await page.getByRole("link", { name: "API_TOKEN", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}/secrets/API_TOKEN$`));
  const use = page.getByTestId("uses-nightly report");
  await expect(use).toContainText("attached as TOKEN");
  await expect(use.getByTestId("last-use")).toHaveText(/just now|min ago/);
  await expect(use.getByTestId("last-use").locator("time")).toHaveAttribute("title", /UTC$/);
  await shot(page, "secret-page");
  // The same page by id, as API clients know it.
  await page.goto(`/projects/${slug}/secrets/${ids.API_TOKEN}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("API_TOKEN");

  expect(await page.content()).not.toContain(CANARY);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain("CANARY_");
  for (const body of bodies) expect(body.includes(CANARY)).toBe(false);
});

test("agents get an instructions field with the documents' warning; credentials send headers; rename, detach and delete", async ({ page }) => {
  const bodies = recordResponses(page);
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/consumers`);
  await page.getByLabel("Kind").selectOption("AGENT");
  await page.getByLabel("Consumer name").fill("reviewer");
  await page.getByRole("button", { name: "Create consumer" }).click();
  await expect(page.getByRole("note").filter({ hasText: "resolved before the text is sent to the model" })).toBeVisible();
  await page.getByLabel("Allow all secrets").check();
  await expect(page.getByRole("status").filter({ hasText: "any secret" })).toBeVisible();
  await page.getByLabel("Agent instructions").fill("Use the key {{UNTICKED}} when calling the API.");
  await expect(page.locator("mark.ph-placeholder")).toHaveText("{{UNTICKED}}");
  await page.getByRole("button", { name: "Save templates" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Templates saved" })).toBeVisible();
  await expect(page.getByTestId("env-AGENT_INSTRUCTIONS")).toContainText("template Use the key {{UNTICKED}}");
  await page.getByLabel("Name", { exact: true }).fill("code reviewer");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("code reviewer");

  await page.goto(`/projects/${slug}/consumers`);
  await page.getByLabel("Kind").selectOption("INTEGRATION_CREDENTIAL");
  await page.getByLabel("Consumer name").fill("github-api");
  await page.getByRole("button", { name: "Create consumer" }).click();
  await page.getByTestId("pick-API_TOKEN").getByRole("checkbox").check();
  await expect(page.getByRole("list", { name: "Attached secrets" })).toContainText("API_TOKEN");
  await page.getByRole("button", { name: "Add header or field" }).click();
  await page.getByLabel("Header or field").fill("Authorization");
  await page.getByLabel("Template", { exact: true }).fill("Bearer {{MY_API_TOKEN}}");
  await expect(page.getByText("{{MY_API_TOKEN}}: there is no secret named MY_API_TOKEN")).toBeVisible();
  await page.getByLabel("Template", { exact: true }).fill("Bearer {{API_TOKEN}}");
  await page.getByRole("button", { name: "Save templates" }).click();
  await expect(page.getByTestId("env-Authorization")).toBeVisible();
  await expect(page.getByTestId("env-API_TOKEN")).toBeVisible();
  await page.getByRole("button", { name: "Detach API_TOKEN" }).click();
  await expect(page.getByText("No secrets attached.")).toBeVisible();
  await expect(page.getByTestId("env-API_TOKEN")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete consumer" }).click();
  await page.getByRole("dialog", { name: "Delete github-api" }).getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}/consumers$`));
  await expect(page.getByTestId("consumer-github-api")).toHaveCount(0);
  await expect(page.getByTestId("consumer-code reviewer")).toBeVisible();
  for (const body of bodies) expect(body.includes(CANARY)).toBe(false);
});

test("a secret's page: facts, metadata in Add and Edit, rotate, every use in the blast radius, audit events, delete", async ({ page }) => {
  const bodies = recordResponses(page);
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}`);
  await page.getByRole("button", { name: "Add Secret" }).click();
  const add = page.getByRole("dialog", { name: "Add Secret" });
  await add.getByLabel("Secret Key").fill("WITH_META");
  await add.getByLabel("Secret Value").fill(`${CANARY}-meta`);
  await add.getByRole("button", { name: "Add metadata" }).click();
  await add.getByLabel("Metadata key 1").fill("owner");
  await add.getByLabel("Metadata value 1").fill("platform team");
  await add.getByRole("button", { name: "Create Secret" }).click();
  await expect(add).toBeHidden();
  await page.getByRole("link", { name: "WITH_META", exact: true }).click();
  const facts = page.getByRole("definition");
  await expect(page.getByTestId("reference-path")).toHaveText("— (encrypted in the vault's database)");
  await expect(page.getByTestId("hint")).toHaveText(`${CANARY.slice(0, 4)}••••••••meta`);
  await expect(page.getByRole("region", { name: "Metadata" })).toContainText("ownerplatform team");
  expect(await facts.count()).toBeGreaterThan(5);

  await page.getByRole("group", { name: "Secret actions" }).getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit WITH_META" });
  await expect(edit.getByLabel("Storage location")).toHaveValue("DATABASE");
  await edit.getByLabel("Metadata value 1").fill("security team");
  await edit.getByRole("button", { name: "Add metadata" }).click();
  await edit.getByLabel("Metadata key 2").fill("rotate");
  await edit.getByLabel("Metadata value 2").fill("every 90 days");
  await edit.getByRole("button", { name: "Update Secret" }).click();
  await expect(page.getByRole("status")).toHaveText("Updated WITH_META");
  await expect(page.getByRole("region", { name: "Metadata" })).toContainText("ownersecurity team");
  await expect(page.getByRole("region", { name: "Metadata" })).toContainText("rotateevery 90 days");

  await page.getByRole("button", { name: "Rotate" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate WITH_META" });
  await rotate.getByRole("button", { name: "Rotate" }).click();
  await expect(rotate.getByText("Secret value is required")).toBeVisible();
  await rotate.getByLabel("New Value").fill(`${CANARY}-rotated`);
  await rotate.getByRole("button", { name: "Rotate" }).click();
  await expect(page.getByRole("status")).toHaveText("Rotated WITH_META: now version 2");
  await expect(page.getByRole("table", { name: "Versions" }).locator("tbody tr")).toHaveCount(2);
  const events = page.getByRole("list", { name: "Audit events of this secret" });
  await expect(events).toContainText("Created secret");
  await expect(events).toContainText("Updated secret");
  await expect(events).toContainText("value changedyes");

  // UNTICKED is attached nowhere, but the allow-all agent's instructions name it.
  await page.goto(`/projects/${slug}/secrets/UNTICKED`);
  await expect(page.getByTestId("uses-code reviewer")).toContainText("named in AGENT_INSTRUCTIONS");
  await page.getByRole("group", { name: "Secret actions" }).getByRole("button", { name: "Delete" }).click();
  const del = page.getByRole("dialog", { name: "Delete secret" });
  await expect(del.getByRole("note", { name: "Consumers that will break" })).toContainText("code reviewer (agent, named in AGENT_INSTRUCTIONS)");
  await del.getByLabel(/Type UNTICKED to confirm/).fill("UNTICKED");
  await del.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${slug}\\?deleted=UNTICKED$`));
  await expect(page.getByRole("status")).toHaveText("Deleted UNTICKED");
  await expect(page.getByTestId("secret-row-UNTICKED")).toHaveCount(0);

  expect(await page.content()).not.toContain(CANARY);
  for (const body of bodies) expect(body.includes(CANARY)).toBe(false);
});
