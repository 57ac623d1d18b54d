import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { admin, shot, signIn } from "./helpers";
import { nextServerPid, startVault, vaultCli } from "./vault-server";

test("an unauthenticated visit redirects to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to the vault" })).toBeVisible();
  await shot(page, "login");
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(admin().email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("Email or password is incorrect");
  await expect(page).toHaveURL(/\/login/);
});

test("signing in shows who is signed in, and signing out returns to sign-in", async ({ page }) => {
  await signIn(page, admin().email, admin().password);
  await expect(page.getByRole("link", { name: "Personal", exact: true })).toBeVisible();
  await shot(page, "signed-in");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
});

test("sign-in never redirects off the vault (callbackUrl)", async ({ page, baseURL }) => {
  await page.goto("/login?callbackUrl=//example.com/phish");
  await page.getByLabel("Email").fill(admin().email);
  await page.getByLabel("Password").fill(admin().password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-email")).toBeVisible();
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
});

test("GraphQL answers UNAUTHENTICATED as JSON without a session; health says ok", async ({ request }) => {
  const res = await request.post("/api/graphql", { data: { query: "{ viewer { id } }" } });
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = await res.json();
  expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok", database: "ok", migrations: "current" });
});

test("a bearer API token authenticates GraphQL over HTTP; a bad one does not", async ({ request }) => {
  const query = { query: "query($s:String!){ viewer { kind } project(slug:$s) { slug viewerPermissions } }", variables: { s: process.env.E2E_PERSONAL_SLUG } };
  const ok = await (await request.post("/api/graphql", { data: query, headers: { authorization: `Bearer ${process.env.E2E_READ_TOKEN}`, "x-vault-client": "e2e" } })).json();
  expect(ok.data).toEqual({ viewer: { kind: "TOKEN" }, project: { slug: process.env.E2E_PERSONAL_SLUG, viewerPermissions: ["secrets:read"] } });
  const bad = await (await request.post("/api/graphql", { data: query, headers: { authorization: "Bearer vlt_0000_nope" } })).json();
  expect(bad.errors[0].extensions.code).toBe("UNAUTHENTICATED");
});

test("introspection is off in production", async ({ request }) => {
  const res = await request.post("/api/graphql", { data: { query: "{ __schema { types { name } } }" } });
  const body = await res.json();
  expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  expect(JSON.stringify(body)).not.toContain("CreateSecretInput");
});

test("GraphQL refuses a simple cross-site form post (CSRF prevention)", async ({ request }) => {
  const res = await request.get("/api/graphql?query=%7Bviewer%7Bid%7D%7D");
  expect(res.status()).toBe(400);
});

test("the embedded data survives a restart; SIGTERM lets in-flight requests finish and closes it cleanly", async ({ browser }) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), "vault-restart-"));
  let vault = await startVault({ dataDir, port: 3101 });
  expect(vault.output()).toContain(`data: ${dataDir}`);
  expect(vault.output()).toContain("npm run vault -- user create --email");
  const firstRun = await browser.newPage({ baseURL: vault.baseURL });
  await firstRun.goto("/login");
  await expect(firstRun.getByRole("note", { name: "First run" })).toContainText("npm run vault -- user create");
  await firstRun.close();
  vaultCli(dataDir, ["user", "create", "--email", "kept@e2e.test", "--password", "kept-password-1"]);
  expect(await vault.stop()).toBe(0);
  expect(vault.output()).toContain("embedded database closed cleanly");

  vault = await startVault({ dataDir, port: 3101 });
  try {
    expect(vault.output()).toContain("database schema is current");
    // The Next server runs with a capped V8 heap (bin/start.ts: about 250 MB resident under load).
    const environ = readFileSync(`/proc/${nextServerPid(vault.process.pid!)}/environ`, "utf8").split("\0");
    expect(environ.find((v) => v.startsWith("NODE_OPTIONS="))).toMatch(/--max-old-space-size=160\b/);
    const page = await browser.newPage({ baseURL: vault.baseURL });
    await signIn(page, "kept@e2e.test", "kept-password-1");
    await page.close();

    // SIGTERM while a request is in flight (its body half sent): the request still gets its answer.
    const body = JSON.stringify({ query: "{ viewer { id } }" });
    const req = http.request(`${vault.baseURL}/api/graphql`, {
      method: "POST",
      // A well-formed (unknown) token makes the request read the database during the shutdown.
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        authorization: `Bearer vlt_${"0".repeat(32)}_${"A".repeat(43)}`,
      },
    });
    const answered = new Promise<{ status?: number; text: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode, text }));
      });
      req.on("error", reject);
    });
    req.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 300));
    const stopped = vault.stop();
    await new Promise((r) => setTimeout(r, 700));
    req.end(body.slice(10));
    const response = await answered;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(await stopped).toBe(0);
    expect(vault.output()).toContain("embedded database closed cleanly");
  } finally {
    await vault.stop();
  }
});
