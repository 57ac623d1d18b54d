import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { admin, signIn } from "./helpers";
import { vaultCli } from "./vault-server";

// Fit and finish: the table at 1,280 and 390 px, axe on every page, keyboard-only use of the
// dialogs and the attach list, the readable audit log, the Unused view and the first-run page.
test.describe.configure({ mode: "serial" });

const slug = "fit-e2e";
const CANARY = `CANARY_${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
const LONG_NAME = "A_VERY_LONG_SECRET_NAME_FOR_THE_PAYMENTS_PROVIDER_SANDBOX_ACCOUNT_KEY";
const LONG_DESCRIPTION = "Used by the nightly reconciliation job to talk to the payments provider; rotate it every ninety days and tell the finance team before you do. ".repeat(2).trim();
const newcomer = { email: "newcomer@e2e.test", password: "newcomer-password-1" };
let token = "";
let consumerId = "";

async function graphql(request: APIRequestContext, query: string, variables: object = {}) {
  const res = await request.post("/api/graphql", { data: { query, variables }, headers: { authorization: `Bearer ${token}` } });
  const body = await res.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

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

async function expectNoSeriousAxeViolations(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${where}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

const horizontalOverflow = async (page: Page) => {
  await page.waitForLoadState("networkidle");
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
};
// What sticks out, to say why a page scrolls sideways.
const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );

test.beforeAll(async ({ request }) => {
  const dataDir = process.env.E2E_DATA_DIR!;
  vaultCli(dataDir, ["project", "create", "--slug", slug, "--name", "Fit and finish", "--owner", admin().email]);
  vaultCli(dataDir, ["user", "create", "--email", newcomer.email, "--password", newcomer.password]);
  token = vaultCli(dataDir, ["token", "create", "--project", slug, "--name", "setup", "--scope", "secrets:read", "--scope", "secrets:manage"]).trim().split("\n").pop()!;
  const create = "mutation($input: CreateSecretInput!) { createSecret(input: $input) { name } }";
  for (const [name, value, description] of [
    [LONG_NAME, CANARY, LONG_DESCRIPTION],
    ["OLD_KEY", "old-key-value-0123", "Nobody uses this"],
    ["STALE_TOKEN", "stale-token-value-0123", "Attached but never resolved"],
  ]) {
    await graphql(request, create, { input: { projectSlug: slug, name, value, description, type: "API key" } });
  }
  const consumer = await graphql(request, 'mutation { createConsumer(input: { projectSlug: "fit-e2e", kind: AGENT, name: "triage" }) { id } }');
  consumerId = consumer.createConsumer.id;
  await graphql(request, "mutation($id: ID!) { attachSecret(input: { consumerId: $id, secretName: \"STALE_TOKEN\" }) { id } }", { id: consumerId });
});

test("at 1,280 px the table fits with Actions visible; long text truncates with the full text on hover and focus", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}`);
  const row = page.getByTestId(`secret-row-${LONG_NAME}`);
  await expect(row).toBeVisible();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(await page.locator(".table-wrap").evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  const more = row.getByRole("button", { name: `More actions for ${LONG_NAME}` });
  await expect(more).toBeInViewport({ ratio: 1 });
  const box = (await more.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(1280);

  const description = row.getByRole("cell").filter({ hasText: "nightly reconciliation" });
  expect(await description.evaluate((td) => td.scrollWidth > td.clientWidth)).toBe(true);
  await expect(description.locator("span")).toHaveAttribute("title", LONG_DESCRIPTION);
  const before = (await description.boundingBox())!.height;
  await description.locator("span").focus();
  expect((await description.boundingBox())!.height).toBeGreaterThan(before * 2);
  await expect(row.getByRole("link", { name: LONG_NAME })).toHaveAttribute("title", LONG_NAME);
});

test("at 390 px rows are cards with the same actions, and no page scrolls sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}`);
  const row = page.getByTestId(`secret-row-${LONG_NAME}`);
  await expect(page.locator("table.secrets thead")).toBeHidden();
  expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe("block");
  for (const name of [`Edit ${LONG_NAME}`, `Delete ${LONG_NAME}`, `More actions for ${LONG_NAME}`]) {
    const button = row.getByRole("button", { name });
    await button.scrollIntoViewIfNeeded();
    await expect(button).toBeInViewport({ ratio: 1 });
  }
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "e2e/artifacts/screens/secrets-cards-390.png" });
  for (const path of [`/projects/${slug}/secrets/${LONG_NAME}`, `/projects/${slug}/consumers`, `/projects/${slug}/consumers/${consumerId}`, `/projects/${slug}/audit`, `/projects/${slug}/unused`]) {
    await page.goto(path);
    expect(await horizontalOverflow(page), `${path}: ${await overflowing(page)}`).toBeLessThanOrEqual(0);
  }
});

test("every page passes axe with no serious or critical violations, and none shows the canary", async ({ page }) => {
  const bodies = recordResponses(page);
  await page.goto("/login");
  await expectNoSeriousAxeViolations(page, "/login");
  await signIn(page, admin().email, admin().password);
  const pages = [
    "/",
    `/projects/${slug}`,
    `/projects/${slug}/secrets/${LONG_NAME}`,
    `/projects/${slug}/consumers`,
    `/projects/${slug}/consumers/${consumerId}`,
    `/projects/${slug}/unused`,
    `/projects/${slug}/members`,
    `/projects/${slug}/tokens`,
    `/projects/${slug}/audit`,
  ];
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expectNoSeriousAxeViolations(page, path);
    expect(await page.content()).not.toContain(CANARY);
  }
  // Dialogs too.
  await page.goto(`/projects/${slug}`);
  await page.getByRole("button", { name: "Add Secret" }).click();
  await expectNoSeriousAxeViolations(page, "Add Secret dialog");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: `Edit ${LONG_NAME}` }).click();
  await expect(page.getByRole("region", { name: "Version history" }).getByRole("listitem")).toHaveCount(1);
  await expectNoSeriousAxeViolations(page, "Edit dialog");
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain("CANARY_");
  for (const body of bodies) expect(body.includes(CANARY)).toBe(false);
});

test("keyboard only: the attach list and the consumer's dialogs", async ({ page }) => {
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/consumers/${consumerId}`);
  // The first page of the list is there once the page is interactive.
  await expect(page.getByTestId("pick-STALE_TOKEN")).toBeVisible();
  await page.getByLabel("Search secrets to attach").focus();
  await page.keyboard.type("OLD");
  await expect(page.getByRole("group", { name: "Secrets to attach" }).getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("pick-OLD_KEY")).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByTestId("pick-OLD_KEY").getByRole("checkbox")).toBeFocused();
  await page.keyboard.press("Space");
  const attached = page.getByRole("list", { name: "Attached secrets" });
  await expect(attached).toContainText("OLD_KEY");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Alias for OLD_KEY")).toBeFocused();
  await page.keyboard.type("LEGACY_KEY");
  await page.keyboard.press("Enter");
  await expect(attached).toContainText("LEGACY_KEY ← OLD_KEY");
  await page.getByRole("button", { name: "Detach OLD_KEY" }).focus();
  await page.keyboard.press("Enter");
  await expect(attached).not.toContainText("OLD_KEY");

  await page.getByRole("button", { name: "Delete consumer" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Delete triage" });
  await expect(dialog).toBeVisible();
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.goto(`/projects/${slug}/secrets/OLD_KEY`);
  await page.getByRole("button", { name: "Rotate" }).focus();
  await page.keyboard.press("Enter");
  const rotate = page.getByRole("dialog", { name: "Rotate OLD_KEY" });
  await expect(rotate.getByLabel("New Value")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(rotate).toBeHidden();
});

test("the audit log reads as sentences and pairs, with relative times and action and date filters", async ({ page }) => {
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/audit`);
  const events = page.getByRole("table", { name: "Audit events" });
  await expect(events).toContainText("Created secret");
  await expect(events).toContainText("Attached secret");
  expect(await events.locator("tbody").innerText()).not.toMatch(/[{}"]/);
  await expect(events.locator("time").first()).toHaveText(/just now|min ago/);
  await expect(events.locator("time").first()).toHaveAttribute("title", /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await page.getByLabel("Action").selectOption("secret.attach");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=secret.attach/);
  await expect(events.locator('td[data-label="Action"]').first()).toHaveText("Attached secret");
  expect(new Set(await events.locator('td[data-label="Action"]').allInnerTexts())).toEqual(new Set(["Attached secret"]));
  await expect(events).toContainText("consumertriage");
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("From").fill(tomorrow);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(events).toContainText("No events match these filters.");
});

test("Unused secrets: 30 and 90 days, bulk delete through the same confirmations", async ({ page }) => {
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/unused`);
  await expect(page.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "90 days" }).click();
  await expect(page.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");
  await page.getByLabel("Select OLD_KEY").check();
  await page.getByLabel("Select STALE_TOKEN").check();
  await page.getByRole("button", { name: "Delete selected (2)…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete secrets" });
  const list = dialog.getByRole("list", { name: "Secrets to delete" });
  await expect(list).toContainText("OLD_KEY no consumer uses it");
  await expect(list).toContainText("STALE_TOKEN used by triage: their next run will fail");
  await expect(dialog.getByRole("button", { name: "Delete" })).toBeDisabled();
  await dialog.getByLabel(/Type delete 2 secrets to confirm/).fill("delete 2 secrets");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status")).toHaveText("Deleted 2 secrets");
  await expect(page.getByTestId("unused-OLD_KEY")).toHaveCount(0);
  await expect(page.getByTestId("unused-STALE_TOKEN")).toHaveCount(0);
  await expect(page.getByTestId(`unused-${LONG_NAME}`)).toBeVisible();
});

test("a first-run user with only a Personal project gets a page that says what to do next", async ({ page }) => {
  await signIn(page, newcomer.email, newcomer.password);
  await expect(page.getByRole("heading", { name: "Welcome to the vault" })).toBeVisible();
  await page.getByRole("link", { name: "Create a consumer" }).click();
  await expect(page.getByText("No consumers yet.")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "first-run consumers");
});

test("an ENV secret's Edit has no value field but re-points the variable; Edit moves any secret to another location", async ({ page, request }) => {
  vaultCli(process.env.E2E_DATA_DIR!, ["project", "env-allow", "--project", slug, "--allow", "E2E_PLATFORM_*"]);
  await graphql(request, "mutation { createSecret(input: { projectSlug: \"fit-e2e\", name: \"PLATFORM\", storage: ENV, envVar: \"E2E_PLATFORM_TOKEN\" }) { name } }");
  await signIn(page, admin().email, admin().password);
  await page.goto(`/projects/${slug}/secrets/PLATFORM`);
  await expect(page.getByTestId("reference-path")).toHaveText("E2E_PLATFORM_TOKEN");
  await expect(page.getByRole("button", { name: "Rotate" })).toHaveCount(0);
  const actions = page.getByRole("group", { name: "Secret actions" });
  await actions.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("dialog", { name: "Edit PLATFORM" });
  await expect(edit.getByLabel("New Value (Optional)")).toHaveCount(0);
  await expect(edit.getByLabel("Environment variable")).toHaveValue("E2E_PLATFORM_TOKEN");
  await edit.getByLabel("Environment variable").fill("E2E_PLATFORM_TOKEN_NEXT");
  await edit.getByRole("button", { name: "Update Secret" }).click();
  await expect(page.getByRole("status")).toHaveText("Updated PLATFORM: now version 2");
  await expect(page.getByTestId("reference-path")).toHaveText("E2E_PLATFORM_TOKEN_NEXT");

  // Move it into the database: the value is copied on the server, as a new version.
  await actions.getByRole("button", { name: "Edit" }).click();
  await edit.getByLabel("Storage location").selectOption("DATABASE");
  await expect(edit.getByText("The current value moves to Database (encrypted) as a new version")).toBeVisible();
  await expect(edit.getByLabel("New Value (Optional)")).toBeVisible();
  await edit.getByRole("button", { name: "Update Secret" }).click();
  await expect(page.getByRole("status")).toHaveText("Updated PLATFORM: now version 3");
  await expect(page.getByRole("definition").filter({ hasText: "Database (encrypted)" })).toBeVisible();
  await expect(page.getByTestId("hint")).toHaveText("plat••••••••6789");
  expect(await page.content()).not.toContain("platform-token-e2e-next-0123456789");

  // Switching a dialog's storage never carries a typed value into the variable field, or back.
  await page.goto(`/projects/${slug}`);
  await page.getByRole("button", { name: "Add Secret" }).click();
  const add = page.getByRole("dialog", { name: "Add Secret" });
  await add.getByLabel("Secret Value").fill(CANARY);
  await add.getByLabel("Storage location").selectOption("ENV");
  await expect(add.getByLabel("Environment variable")).toHaveValue("");
  await add.getByLabel("Environment variable").fill("E2E_PLATFORM_TOKEN");
  await add.getByLabel("Storage location").selectOption("DATABASE");
  await expect(add.getByLabel("Secret Value")).toHaveValue("");
});

test("a viewer sees consumers, secrets and the unused view without any write control", async ({ page }) => {
  vaultCli(process.env.E2E_DATA_DIR!, ["member", "add", "--project", slug, "--email", newcomer.email, "--role", "viewer"]);
  await signIn(page, newcomer.email, newcomer.password);
  await page.goto(`/projects/${slug}/consumers`);
  await expect(page.getByTestId("consumer-triage")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create consumer" })).toHaveCount(0);
  await page.getByRole("link", { name: "triage" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("triage");
  for (const name of ["Delete consumer", "Rename", "Save templates", "Add template"]) await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.getByLabel("Search secrets to attach")).toHaveCount(0);
  await page.goto(`/projects/${slug}/secrets/PLATFORM`);
  await expect(page.getByTestId("reference-path")).toBeVisible();
  await expect(page.getByRole("group", { name: "Secret actions" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Audit events" })).toHaveCount(0);
  await page.goto(`/projects/${slug}/unused`);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete selected/ })).toHaveCount(0);
});
