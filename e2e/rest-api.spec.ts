import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { openApiContract } from "../test/openapi-contract";
import { admin, signIn } from "./helpers";
import { vaultCli } from "./vault-server";

// The documented REST API (/api/v1/user/secrets…) over HTTP against the production build: paths and
// field names as the product document gives them, statuses, permissions, NOT_FOUND for other
// projects' ids, CSRF for cookie writes, the canary only where resolve returns it, and every
// response checked against the served OpenAPI document.
test.describe.configure({ mode: "serial" });

const slug = `rest-${randomBytes(3).toString("hex")}`;
const canary = `CANARY_${randomBytes(16).toString("hex")}`;
const personalName = `PERSONAL_KEY_${randomBytes(3).toString("hex").toUpperCase()}`;
const tokens = { manage: "", read: "", inject: "" };
const seenBodies: string[] = [];
let contract: ReturnType<typeof openApiContract>;
let teamSecretId = "";
let personalSecretId = "";

function token(project: string, name: string, scopes: string[]) {
  const args = ["token", "create", "--project", project, "--name", name, ...scopes.flatMap((s) => ["--scope", s])];
  return vaultCli(process.env.E2E_DATA_DIR!, args).trim().split("\n").pop()!;
}

// One call; `template` is the documented path, checked against the contract with the status.
async function call(
  request: APIRequestContext,
  method: "GET" | "POST" | "PUT" | "DELETE",
  template: string,
  opts: { bearer?: string; id?: string; query?: string; data?: unknown; headers?: Record<string, string>; keep?: boolean } = {},
) {
  const url = template.replace("{secret_id}", opts.id ?? "") + (opts.query ? `?${opts.query}` : "");
  const headers = { ...(opts.bearer ? { authorization: `Bearer ${opts.bearer}` } : {}), ...opts.headers };
  const res = await request.fetch(url, { method, headers, ...(opts.data !== undefined ? { data: opts.data } : {}) });
  const text = await res.text();
  if (!opts.keep) seenBodies.push(text);
  const body = JSON.parse(text);
  contract.check(method, template, res.status(), body);
  return { status: res.status(), body, headers: res.headers() };
}

const LIST = "/api/v1/user/secrets";
const ONE = "/api/v1/user/secrets/{secret_id}";

test.beforeAll(async ({ request }) => {
  const dataDir = process.env.E2E_DATA_DIR!;
  vaultCli(dataDir, ["project", "create", "--slug", slug, "--name", "REST e2e", "--owner", admin().email]);
  tokens.manage = token(slug, "rest-manage", ["secrets:read", "secrets:manage"]);
  tokens.read = token(slug, "rest-read", ["secrets:read"]);
  tokens.inject = token(slug, "rest-inject", ["secrets:inject"]);
  const doc = await request.get("/api/v1/openapi.json", { headers: { authorization: `Bearer ${tokens.read}` } });
  expect(doc.status()).toBe(200);
  const body = await doc.json();
  expect(body.openapi).toBe("3.1.0");
  expect(Object.keys(body.paths).sort()).toEqual([
    "/api/v1/user/secrets",
    "/api/v1/user/secrets/preset",
    "/api/v1/user/secrets/presets",
    "/api/v1/user/secrets/resolve",
    "/api/v1/user/secrets/{secret_id}",
  ]);
  contract = openApiContract(body);
  expect((await request.get("/api/v1/openapi.json")).status()).toBe(401);
});

test("a token lists, creates, reads, updates, deletes and resolves secrets of its project", async ({ request }) => {
  const manage = tokens.manage;
  expect(await call(request, "GET", LIST, { bearer: manage })).toMatchObject({ status: 200, body: [] });
  const created = await call(request, "POST", LIST, { bearer: manage, data: { name: "DB_PASSWORD", value: canary, description: "prod db" } });
  expect(created).toMatchObject({ status: 201, body: { name: "DB_PASSWORD", description: "prod db", version: 1, project: slug } });
  teamSecretId = created.body.secret_id;
  const fromPreset = await call(request, "POST", "/api/v1/user/secrets/preset", { bearer: manage, data: { preset: "openai", value: "sk-e2e-openai-0123456789abcdefghij" } });
  expect(fromPreset).toMatchObject({ status: 201, body: { name: "OPENAI_API_KEY", type: "API key" } });
  expect(await call(request, "POST", LIST, { bearer: manage, data: { name: "DB_PASSWORD", value: "again" } })).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });
  expect(await call(request, "POST", LIST, { bearer: manage, data: { name: "bad name", value: canary } })).toMatchObject({ status: 400, body: { error: { code: "BAD_USER_INPUT" } } });

  const listed = await call(request, "GET", LIST, { bearer: tokens.read, query: "limit=1" });
  expect(listed.body.map((s: { name: string }) => s.name)).toEqual(["DB_PASSWORD"]);
  expect(listed.headers["x-next-cursor"]).toBeTruthy();
  const rest = await call(request, "GET", LIST, { bearer: tokens.read, query: `cursor=${listed.headers["x-next-cursor"]}` });
  expect(rest.body.map((s: { name: string }) => s.name)).toEqual(["OPENAI_API_KEY"]);

  expect(await call(request, "GET", ONE, { bearer: tokens.read, id: teamSecretId })).toMatchObject({ status: 200, body: { secret_id: teamSecretId, hint: expect.stringContaining("•") } });
  expect(await call(request, "PUT", ONE, { bearer: tokens.read, id: teamSecretId, data: { description: "x" } })).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
  const updated = await call(request, "PUT", ONE, { bearer: manage, id: teamSecretId, data: { value: `${canary}-2`, expected_version: 1 } });
  expect(updated).toMatchObject({ status: 200, body: { version: 2 } });
  expect(await call(request, "PUT", ONE, { bearer: manage, id: teamSecretId, data: { description: "stale", expected_version: 1 } })).toMatchObject({ status: 409 });

  const resolved = await call(request, "POST", "/api/v1/user/secrets/resolve", { bearer: tokens.inject, data: { secret_ids: [teamSecretId], names: ["OPENAI_API_KEY"] }, keep: true });
  expect(resolved).toMatchObject({
    status: 200,
    body: { consumers: [], variables: [{ name: "DB_PASSWORD", value: `${canary}-2` }, { name: "OPENAI_API_KEY", value: "sk-e2e-openai-0123456789abcdefghij" }] },
  });
  expect(await call(request, "POST", "/api/v1/user/secrets/resolve", { bearer: manage, data: { names: ["DB_PASSWORD"] } })).toMatchObject({ status: 403 });

  const deleted = await call(request, "DELETE", ONE, { bearer: manage, id: fromPreset.body.secret_id });
  expect(deleted).toMatchObject({ status: 200, body: { name: "OPENAI_API_KEY", deleted: true } });
  expect(await call(request, "GET", ONE, { bearer: manage, id: fromPreset.body.secret_id })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
  expect(await call(request, "GET", LIST, { bearer: "vlt_not-a-token" })).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
});

test("the dashboard session reaches the user's Personal project; cross-site cookie writes are refused", async ({ page }) => {
  await signIn(page, admin().email, admin().password);
  const request = page.request;
  const created = await call(request, "POST", LIST, { data: { name: personalName, value: canary } });
  expect(created).toMatchObject({ status: 201, body: { project: process.env.E2E_PERSONAL_SLUG } });
  personalSecretId = created.body.secret_id;
  expect((await call(request, "GET", LIST)).body.map((s: { name: string }) => s.name)).toContain(personalName);
  // The shared project by slug, with the admin's permissions there.
  expect((await call(request, "GET", LIST, { query: `project=${slug}` })).body.map((s: { name: string }) => s.name)).toEqual(["DB_PASSWORD"]);
  // The team's secret is not in the Personal project: 404 by id, as for any row out of reach.
  expect(await call(request, "GET", ONE, { id: teamSecretId })).toMatchObject({ status: 404 });

  const evil = await call(request, "POST", LIST, { data: { name: "FROM_EVIL", value: canary }, headers: { origin: "https://evil.example" } });
  expect(evil).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
  const form = await call(request, "POST", LIST, { data: `name=FROM_FORM&value=${canary}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(form.status).toBe(400);
  expect(await call(request, "DELETE", ONE, { id: personalSecretId, headers: { "sec-fetch-site": "cross-site" } })).toMatchObject({ status: 403 });
  expect((await call(request, "GET", LIST)).body.map((s: { name: string }) => s.name)).not.toContain("FROM_EVIL");
});

test("a token never reaches another project: other ids are NOT_FOUND, other slugs too", async ({ request }) => {
  expect(await call(request, "GET", ONE, { bearer: tokens.manage, id: personalSecretId })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
  expect(await call(request, "PUT", ONE, { bearer: tokens.manage, id: personalSecretId, data: { description: "mine" } })).toMatchObject({ status: 404 });
  expect(await call(request, "DELETE", ONE, { bearer: tokens.manage, id: personalSecretId })).toMatchObject({ status: 404 });
  expect(await call(request, "GET", LIST, { bearer: tokens.manage, query: `project=${process.env.E2E_PERSONAL_SLUG}` })).toMatchObject({ status: 404 });
  expect(await call(request, "POST", "/api/v1/user/secrets/resolve", { bearer: tokens.inject, data: { secret_ids: [personalSecretId] } })).toMatchObject({ status: 404 });
  const presets = await call(request, "GET", "/api/v1/user/secrets/presets", { bearer: tokens.read });
  expect(presets.body.filter((p: { id: string }) => ["openai", "anthropic", "github"].includes(p.id)).map((p: { name: string }) => p.name)).toEqual([
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GITHUB_TOKEN",
  ]);
});

test("every documented operation answered, matching the OpenAPI document; the canary left only through resolve", async () => {
  expect(contract.unseen()).toEqual([]);
  for (const body of seenBodies) expect(body).not.toContain(canary);
});
