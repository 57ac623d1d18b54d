// The REST adapters (app/api/v1/...), in-process against the real database: paths and field names
// of the documented API, statuses that match the GraphQL codes, the same permissions, NOT_FOUND for
// other projects' ids, CSRF rules for cookie-authenticated writes, the canary nowhere, and every
// response checked against the OpenAPI document. e2e/rest-api.spec.ts asks the same over HTTP of
// the production build.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { auditRowsText, canaryValue, captureLogs, expectNoCanary } from "../test/canary";
import { newTeam, newUser, tokenFor } from "../test/fixtures";
import { openApiContract } from "../test/openapi-contract";

let caller: Actor | null = null;
vi.mock("@/lib/auth/get-actor", () => ({ getActor: async () => caller }));

const list = await import("@/app/api/v1/user/secrets/route");
const byId = await import("@/app/api/v1/user/secrets/[secret_id]/route");
const presets = await import("@/app/api/v1/user/secrets/presets/route");
const preset = await import("@/app/api/v1/user/secrets/preset/route");
const resolve = await import("@/app/api/v1/user/secrets/resolve/route");
const openapi = await import("@/app/api/v1/openapi.json/route");

type Handler = (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>;
const BASE = "http://127.0.0.1:3000";
const canary = canaryValue();
const logs = captureLogs();
const bodies: string[] = [];
let contract: ReturnType<typeof openApiContract>;

// Calls a handler as Next would; `as` is the caller (a user's session unless it has a token).
async function call(
  as: Actor | null,
  handler: Handler,
  method: string,
  template: string,
  opts: { id?: string; query?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  caller = as;
  const path = template.replace("{secret_id}", opts.id ?? "");
  const headers: Record<string, string> = { host: "127.0.0.1:3000", ...(as?.kind === "token" ? { authorization: "Bearer vlt_test" } : {}), ...opts.headers };
  if (opts.body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const init = { method, headers, ...(opts.body !== undefined ? { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) } : {}) };
  const res = await handler(new NextRequest(`${BASE}${path}${opts.query ? `?${opts.query}` : ""}`, init), { params: Promise.resolve({ secret_id: opts.id } as never) });
  const text = await res.text();
  bodies.push(text);
  const body = JSON.parse(text);
  contract?.check(method, template, res.status, body);
  return { status: res.status, body, headers: res.headers };
}

const LIST = "/api/v1/user/secrets";
const ONE = "/api/v1/user/secrets/{secret_id}";

type Team = Awaited<ReturnType<typeof newTeam>>;
let team: Team;
let alice: Awaited<ReturnType<typeof newUser>>;

beforeAll(async () => {
  [team, alice] = await Promise.all([newTeam(), newUser()]);
  const doc = await call(alice.actor, openapi.GET as Handler, "GET", "/api/v1/openapi.json");
  expect(doc.status).toBe(200);
  expect(doc.body.openapi).toBe("3.1.0");
  contract = openApiContract(doc.body);
});

afterAll(() => logs.restore());

describe("REST /api/v1/user/secrets", () => {
  let id = "";

  it("creates, lists, reads, updates and deletes a user's secret in their Personal project, never returning the value", async () => {
    const created = await call(alice.actor, list.POST as Handler, "POST", LIST, {
      body: { name: "OPENAI_API_KEY", value: canary, description: "for the agent", metadata: { team: "ml" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "OPENAI_API_KEY", description: "for the agent", metadata: { team: "ml" }, version: 1, storage: "DATABASE", project: alice.personalProjectSlug });
    expect(created.body.hint).toMatch(/^CANA.*•+/);
    id = created.body.secret_id;

    const listed = await call(alice.actor, list.GET as Handler, "GET", LIST);
    expect(listed.status).toBe(200);
    expect(listed.body.map((s: { secret_id: string }) => s.secret_id)).toEqual([id]);
    expect(listed.headers.get("x-next-cursor")).toBeNull();

    expect(await call(alice.actor, byId.GET as Handler, "GET", ONE, { id })).toMatchObject({ status: 200, body: { secret_id: id, name: "OPENAI_API_KEY" } });
    const updated = await call(alice.actor, byId.PUT as Handler, "PUT", ONE, { id, body: { value: `${canary}-v2`, description: "rotated" } });
    expect(updated).toMatchObject({ status: 200, body: { version: 2, description: "rotated" } });

    const deleted = await call(alice.actor, byId.DELETE as Handler, "DELETE", ONE, { id });
    expect(deleted).toMatchObject({ status: 200, body: { secret_id: id, name: "OPENAI_API_KEY", deleted: true } });
    expect(await call(alice.actor, byId.GET as Handler, "GET", ONE, { id })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND", message: "Secret not found" } } });
  });

  it("answers errors as { error: { code, message } } with the status of the code, never echoing a value", async () => {
    expect(await call(null, list.GET as Handler, "GET", LIST)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    const badName = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: { name: canary.toLowerCase(), value: canary } });
    expect(badName).toMatchObject({ status: 400, body: { error: { code: "BAD_USER_INPUT", details: { field: "name" } } } });
    const first = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: { name: "DUPLICATE", value: canary } });
    expect(first.status).toBe(201);
    expect(await call(alice.actor, list.POST as Handler, "POST", LIST, { body: { name: "DUPLICATE", value: canary } })).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });
    const notJson = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: `{"name":"X","value":"${canary}"`, headers: {} });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: "BAD_USER_INPUT", message: "The request body is not valid JSON" } } });
    const form = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: `name=X&value=${canary}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form).toMatchObject({ status: 400, body: { error: { message: "Send a JSON body with Content-Type: application/json" } } });
    expect(await call(alice.actor, byId.PUT as Handler, "PUT", ONE, { id: first.body.secret_id, body: {} })).toMatchObject({ status: 400, body: { error: { message: "No changes to save" } } });
    expect(await call(alice.actor, byId.GET as Handler, "GET", ONE, { id: "not-a-uuid" })).toMatchObject({ status: 404 });
    // The body cap GraphQL has: over 1 MiB is 413, and nothing is written.
    const huge = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: { name: "HUGE", value: `${canary}${"x".repeat(1024 * 1024)}` } });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(await db().secret.count({ where: { name: "HUGE" } })).toBe(0);
  });

  it("refuses cookie-authenticated writes from another site, like GraphQL's CSRF prevention", async () => {
    const evil = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: { name: "CSRF", value: canary }, headers: { origin: "https://evil.example" } });
    expect(evil).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const crossSite = await call(alice.actor, list.POST as Handler, "POST", LIST, { body: { name: "CSRF", value: canary }, headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    expect(await db().secret.count({ where: { name: "CSRF" } })).toBe(0);
    const sameOrigin = await call(alice.actor, list.POST as Handler, "POST", LIST, {
      body: { name: "CSRF", value: canary },
      headers: { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(201);
  });

  it("reaches a shared project with ?project= and the same permissions as GraphQL; another project's id is NOT_FOUND", async () => {
    const q = `project=${team.slug}`;
    const created = await call(team.editor.actor, list.POST as Handler, "POST", LIST, { query: q, body: { name: "TEAM_KEY", value: canary } });
    expect(created).toMatchObject({ status: 201, body: { project: team.slug } });
    const teamId = created.body.secret_id;
    expect((await call(team.viewer.actor, list.GET as Handler, "GET", LIST, { query: q })).body.map((s: { name: string }) => s.name)).toEqual(["TEAM_KEY"]);
    expect(await call(team.viewer.actor, list.POST as Handler, "POST", LIST, { query: q, body: { name: "NOPE", value: "x" } })).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(await call(team.viewer.actor, byId.DELETE as Handler, "DELETE", ONE, { id: teamId, query: q })).toMatchObject({ status: 403 });
    expect(await call(team.outsider.actor, list.GET as Handler, "GET", LIST, { query: q })).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND", message: "Project not found" } } });
    // By id: outside the chosen project (the Personal one by default) and in a project the caller cannot see, the same 404.
    expect(await call(team.editor.actor, byId.GET as Handler, "GET", ONE, { id: teamId })).toMatchObject({ status: 404 });
    expect(await call(alice.actor, byId.GET as Handler, "GET", ONE, { id: teamId, query: q })).toMatchObject({ status: 404 });
    expect(await call(alice.actor, byId.PUT as Handler, "PUT", ONE, { id: teamId, body: { description: "mine now" } })).toMatchObject({ status: 404 });
    expect(await call(alice.actor, byId.DELETE as Handler, "DELETE", ONE, { id: teamId })).toMatchObject({ status: 404 });
    // A token works in its own project by default, and nowhere else.
    expect((await call(team.readToken.actor, list.GET as Handler, "GET", LIST)).body.map((s: { name: string }) => s.name)).toEqual(["TEAM_KEY"]);
    expect(await call(team.readToken.actor, list.GET as Handler, "GET", LIST, { query: `project=${alice.personalProjectSlug}` })).toMatchObject({ status: 404 });
    expect(await call(team.readToken.actor, byId.PUT as Handler, "PUT", ONE, { id: teamId, body: { description: "x" } })).toMatchObject({ status: 403 });
    const paged = await call(team.viewer.actor, list.GET as Handler, "GET", LIST, { query: `${q}&limit=0` });
    expect(paged).toMatchObject({ status: 400, body: { error: { details: { field: "limit" } } } });
  });

  it("lists presets and creates from one: the preset fixes the name", async () => {
    const listed = await call(alice.actor, presets.GET as Handler, "GET", "/api/v1/user/secrets/presets");
    expect(listed.status).toBe(200);
    expect(Object.fromEntries(listed.body.map((p: { id: string; name: string }) => [p.id, p.name]))).toMatchObject({ openai: "OPENAI_API_KEY", anthropic: "ANTHROPIC_API_KEY", github: "GITHUB_TOKEN" });
    const gh = `ghp_${"a".repeat(36)}`;
    const created = await call(alice.actor, preset.POST as Handler, "POST", "/api/v1/user/secrets/preset", { body: { preset: "github", value: gh, metadata: { owner: "ci" } } });
    expect(created).toMatchObject({ status: 201, body: { name: "GITHUB_TOKEN", type: "Access token", metadata: { owner: "ci" } } });
    const wrong = await call(alice.actor, preset.POST as Handler, "POST", "/api/v1/user/secrets/preset", { body: { preset: "anthropic", value: canary } });
    expect(wrong).toMatchObject({ status: 400, body: { error: { details: { field: "value" } } } });
    expect(JSON.stringify(wrong.body)).not.toContain(canary);
    expect(await call(alice.actor, preset.POST as Handler, "POST", "/api/v1/user/secrets/preset", { body: { preset: "nope", value: "x" } })).toMatchObject({ status: 400 });
  });

  it("resolves chosen secrets for inject tokens only, audited as ad hoc", async () => {
    const inject = await tokenFor(team.slug, ["secrets:inject"], team.admin.actor);
    const teamKey = (await call(team.viewer.actor, list.GET as Handler, "GET", LIST, { query: `project=${team.slug}` })).body[0].secret_id;
    const r = await call(inject.actor, resolve.POST as Handler, "POST", "/api/v1/user/secrets/resolve", { body: { secret_ids: [teamKey] } });
    expect(r).toMatchObject({ status: 200, body: { consumers: [], variables: [{ name: "TEAM_KEY", value: canary }], conflicts: [] } });
    bodies.pop(); // the one response that carries the value by design
    const audit = await db().auditEvent.findFirst({ where: { projectId: team.project.id, action: "environment.resolve" }, orderBy: { createdAt: "desc" } });
    expect(audit?.details).toMatchObject({ consumer: "ad hoc", variables: ["TEAM_KEY"] });
    expect(await call(team.manageToken.actor, resolve.POST as Handler, "POST", "/api/v1/user/secrets/resolve", { body: { names: ["TEAM_KEY"] } })).toMatchObject({ status: 403 });
    expect(await call(team.admin.actor, resolve.POST as Handler, "POST", "/api/v1/user/secrets/resolve", { body: { names: ["TEAM_KEY"] }, query: `project=${team.slug}` })).toMatchObject({ status: 403 });
    expect(await call(inject.actor, resolve.POST as Handler, "POST", "/api/v1/user/secrets/resolve", { body: { names: ["NOPE"] } })).toMatchObject({ status: 404 });
    expect(await call(inject.actor, resolve.POST as Handler, "POST", "/api/v1/user/secrets/resolve", { body: { secret_ids: "x" } })).toMatchObject({ status: 400 });
  });

  it("answered every documented operation, matching the OpenAPI document, and never carried the canary outside resolve", async () => {
    expect(contract.unseen()).toEqual([]);
    // One log line per request: route, caller kind, status, duration, the error code; nothing else.
    const lines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "rest");
    expect(lines.length).toBe(bodies.length + 1);
    expect(lines.find((l) => l.status === 409)).toMatchObject({ route: "POST /user/secrets", actor: "user", errorCode: "CONFLICT", durationMs: expect.any(Number) });
    expect(Object.keys(lines[0]).sort()).toEqual(["actor", "durationMs", "level", "msg", "route", "status", "time"]);
    expectNoCanary(canary, bodies.join("\n"), logs.lines.join("\n"), await auditRowsText());
  });
});
