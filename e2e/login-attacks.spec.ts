import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, request as apiRequest, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { freePort } from "./postgres-cluster";
import { startVault, vaultCli, type VaultServer } from "./vault-server";

// Attacks on sign-in, against a vault of its own (production build, embedded database): its rate
// limits never touch the shared vault other specs sign in to, and its output can be searched for
// the canary.

let vault: VaultServer;
let dataDir: string;

const hex = (n = 6) => randomBytes(n).toString("hex");
// A distinct client address per test (the vault trusts the right-most X-Forwarded-For entry when
// no proxy is configured, which is what the "address" test below checks).
const address = () => `198.51.100.${1 + (randomBytes(1)[0] % 250)}`;

function newAccount() {
  const email = `login-${hex()}@e2e.test`;
  const password = `pw-${hex(8)}`;
  const created = vaultCli(dataDir, ["user", "create", "--email", email, "--password", password]);
  const slug = /personal project: (\S+)/.exec(created)![1];
  return { email, password, slug };
}

async function openPage(browser: Browser, headers: Record<string, string> = {}) {
  const context = await browser.newContext({ baseURL: vault.baseURL, extraHTTPHeaders: headers });
  // Anything that tries to leave the vault is recorded and stopped.
  const offsite: string[] = [];
  await context.route(
    (url) => url.origin !== new URL(vault.baseURL).origin,
    (route) => {
      offsite.push(route.request().url());
      return route.abort();
    },
  );
  const page = await context.newPage();
  return { page, offsite, close: () => context.close() };
}

async function submit(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// The form's message (Next also renders an empty role="alert" route announcer).
const formAlert = (page: Page) => page.locator('form [role="alert"]');

// Sign-in through next-auth's HTTP API, as a script would: the error next-auth reports, or null.
async function apiSignIn(ctx: APIRequestContext, email: string, password: string): Promise<string | null> {
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", { form: { email, password, csrfToken, json: "true" } });
  const { url } = await res.json();
  return new URL(url).searchParams.get("error");
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dataDir = mkdtempSync(join(tmpdir(), "vault-login-"));
  vault = await startVault({ dataDir, port: await freePort() });
});

test.afterAll(async () => {
  await vault?.stop();
});

test("signing in from a tampered callbackUrl always lands on the vault", async ({ browser }) => {
  test.setTimeout(120_000);
  const user = newAccount();
  const callbacks = [
    "/%09/evil.com",
    "/%0A/evil.com",
    "/%5Cevil.com",
    "%5C%5Cevil.com",
    "//evil.com",
    "%20//evil.com",
    "https://evil.com/phish",
    "http:evil.com",
    "javascript:alert(document.domain)",
  ];
  for (const callback of callbacks) {
    const { page, offsite, close } = await openPage(browser);
    await page.goto(`/login?callbackUrl=${callback}`);
    await submit(page, user.email, user.password);
    // Signed in, somewhere on the vault ("http:evil.com" is the vault's own /evil.com, a 404).
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.waitForLoadState("load");
    expect(new URL(page.url()).origin, callback).toBe(new URL(vault.baseURL).origin);
    expect(offsite, callback).toEqual([]);
    await page.goto("/");
    await expect(page.getByTestId("signed-in-email"), callback).toHaveText(user.email);
    await close();
  }
});

test("repeated wrong passwords are refused with 'Try again in N s', even the right one afterwards", async ({ browser }) => {
  const user = newAccount();
  const { page, close } = await openPage(browser, { "x-forwarded-for": address() });
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await submit(page, user.email, `wrong-${i}`);
    await expect(formAlert(page)).toHaveText("Email or password is incorrect");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await submit(page, user.email, "wrong-again");
  await expect(formAlert(page)).toHaveText(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
  const seconds = Number(/in (\d+) s/.exec((await formAlert(page).textContent())!)![1]);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(15 * 60);
  await submit(page, user.email, user.password);
  await expect(formAlert(page)).toHaveText(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
  await expect(page).toHaveURL(/\/login/);
  await close();
});

test("a canary password typed into the form appears in no page, response or server output", async ({ browser }) => {
  const user = newAccount();
  const canary = `CANARY_${hex(12)}`;
  const { page, close } = await openPage(browser, { "x-forwarded-for": address() });
  const seen: string[] = [];
  page.on("response", async (response) => {
    seen.push(response.url(), JSON.stringify(await response.allHeaders()));
    seen.push(await response.text().catch(() => ""));
  });
  await page.goto("/login");
  for (let i = 0; i < 6; i++) {
    await submit(page, user.email, canary);
    await expect(formAlert(page)).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await expect(formAlert(page)).toHaveText(/Try again in \d+ s/);
  // And once as the email, with a real password.
  await submit(page, canary, user.password);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await page.waitForLoadState("networkidle");

  seen.push(page.url(), await page.content());
  for (const text of seen) expect(text).not.toContain(canary);
  expect(seen.join("\n")).toMatch(/Try again in/);
  expect(vault.output()).not.toContain(canary);
  expect(vault.output()).not.toContain(user.email);
  await close();
});

test("an unauthenticated visit to a project page, then sign-in, lands on that page", async ({ browser }) => {
  const user = newAccount();
  const { page, close } = await openPage(browser);
  await page.goto(`/projects/${user.slug}/audit?from=bookmark`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/projects/${user.slug}/audit?from=bookmark`);
  await submit(page, user.email, user.password);
  await expect(page.getByTestId("signed-in-email")).toHaveText(user.email);
  const landed = new URL(page.url());
  expect(`${landed.pathname}${landed.search}`).toBe(`/projects/${user.slug}/audit?from=bookmark`);
  await close();
});

test("the address limit: counted on the right-most X-Forwarded-For entry, or the socket address when there is none", async () => {
  test.setTimeout(120_000);
  const user = newAccount();
  const spoofed = address();
  const fromSpoofed = await apiRequest.newContext({ baseURL: vault.baseURL, extraHTTPHeaders: { "x-forwarded-for": spoofed } });
  for (let i = 0; i < 20; i++) {
    expect(await apiSignIn(fromSpoofed, `nobody-${hex()}@e2e.test`, "Summer2025!")).toBe("CredentialsSignin");
  }
  expect(await apiSignIn(fromSpoofed, user.email, user.password)).toMatch(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
  // Entries a client adds to the left do not help: the right-most one is the address.
  const prefixed = await apiRequest.newContext({ baseURL: vault.baseURL, extraHTTPHeaders: { "x-forwarded-for": `203.0.113.9, ${spoofed}` } });
  expect(await apiSignIn(prefixed, user.email, user.password)).toMatch(/^Too many sign-in attempts/);
  // No header: Next fills X-Forwarded-For from the socket (127.0.0.1 here), a different address.
  const direct = await apiRequest.newContext({ baseURL: vault.baseURL });
  expect(await apiSignIn(direct, user.email, user.password)).toBeNull();
  await Promise.all([fromSpoofed.dispose(), prefixed.dispose(), direct.dispose()]);
});
