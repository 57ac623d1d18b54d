// The GraphQL endpoint's limits against a production build: request bodies over 1 MiB (declared
// or streamed), malformed JSON carrying a canary, schema suggestions, anonymous queries about the
// vault, and the depth/alias/cost rules. The vault is this spec's own, so its output (stdout and
// stderr of `next start`) can be searched for the canary.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "./postgres-cluster";
import { startVault, type VaultServer } from "./vault-server";

const LIMIT = 1024 * 1024;
let vault: VaultServer;
let endpoint = "";

test.beforeAll(async () => {
  test.setTimeout(300_000);
  vault = await startVault({ dataDir: mkdtempSync(join(tmpdir(), "vault-gql-limits-")), port: await freePort() });
  endpoint = `${vault.baseURL}/api/graphql`;
});

test.afterAll(async () => {
  await vault?.stop();
});

const json = { "content-type": "application/json" };

test("a body over 1 MiB with a Content-Length is refused with 413", async ({ request }) => {
  const data = Buffer.from(JSON.stringify({ query: "{ viewer { id } }", padding: "x".repeat(LIMIT + 10) }));
  const res = await request.post(endpoint, { data, headers: json });
  expect(res.status()).toBe(413);
  expect((await res.json()).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
  // Just under the cap is read and answered.
  const fits = await request.post(endpoint, { data: Buffer.from(JSON.stringify({ query: "{ viewer { id } }", padding: "x".repeat(LIMIT - 100) })), headers: json });
  expect((await fits.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
});

test("a chunked body is refused with 413 as soon as it passes 1 MiB, before the client has finished sending", async () => {
  // The request is never ended: a server that waited for the whole body would never answer.
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(endpoint, { method: "POST", headers: { ...json, "transfer-encoding": "chunked" } });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error("no answer while the body was still streaming"));
    }, 15_000);
    req.on("response", (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    // The server may close the connection while chunks are still going out.
    req.on("error", () => {});
    req.write('{"query": "{ viewer { id } }", "padding": "');
    const chunk = "x".repeat(64 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 3 * LIMIT && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
    };
    pump();
  });
  expect(status).toBe(413);
});

test("malformed JSON is refused without any part of it in the response or the server's output", async ({ request }) => {
  const canary = `CANARY_${randomBytes(16).toString("hex")}`;
  // V8's JSON.parse error quotes up to ten characters of the body: the canary's first ten.
  const prefix = canary.slice(0, 10);
  const bodies = [
    `{"query": "{ viewer { id } }", "x": "${canary}`,
    `{"query": "{ viewer { id } }", "x": ${canary}}`,
    `{"x":${canary}}`,
    canary,
  ];
  const answers: { status: number; text: string }[] = [];
  for (const data of bodies) {
    for (const contentType of ["application/json", "application/json; charset=utf-8"]) {
      // A Buffer is sent as it is (a string would be JSON-encoded by Playwright).
      const res = await request.post(endpoint, { data: Buffer.from(data), headers: { "content-type": contentType } });
      answers.push({ status: res.status(), text: await res.text() });
    }
  }
  // Give the server a moment to write anything it was going to.
  await new Promise((r) => setTimeout(r, 500));
  const leaked = (text: string) => (text.includes(prefix) ? text.slice(Math.max(0, text.indexOf(prefix) - 200), text.indexOf(prefix) + 40).split(prefix).join("<CANARY>") : "");
  expect(leaked(vault.output()), "the server's output quotes the body").toBe("");
  for (const { status, text } of answers) {
    expect(leaked(text), "the response quotes the body").toBe("");
    expect(status).toBe(400);
    expect(JSON.parse(text).errors[0]).toEqual({ message: "The request body is not valid JSON", extensions: { code: "BAD_REQUEST" } });
  }
});

test("a misspelled field gets no 'Did you mean' suggestion in production", async ({ request }) => {
  const res = await request.post(endpoint, { data: { query: "{ viewr { id } }" } });
  const body = await res.json();
  expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  expect(body.errors[0].message).toBe('Cannot query field "…" on type "Query".');
  expect(JSON.stringify(body)).not.toMatch(/did you mean|viewer/i);
});

test("storageLocations and secretPresets answer anonymous callers UNAUTHENTICATED", async ({ request }) => {
  for (const query of ["{ storageLocations { storage available } }", "{ secretPresets { id name } }"]) {
    const body = await (await request.post(endpoint, { data: { query } })).json();
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(body.data).toBeNull();
  }
});

test("depth, alias and cost limits hold in the production build", async ({ request }) => {
  const aliases = Array.from({ length: 500 }, (_, i) => `p${i}: projects { members { id } }`).join(" ");
  const started = Date.now();
  const flood = await request.post(endpoint, { data: { query: `query Flood { ${aliases} }` } });
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(flood.status()).toBe(400);
  const floodBody = await flood.json();
  expect(floodBody.errors.map((e: { message: string }) => e.message)).toContain("Operation Flood uses 500 aliases; the limit is 30.");
  expect(floodBody.data).toBeUndefined();

  const costly = await request.post(endpoint, {
    data: { query: "query Costly($n: Int) { projects { secrets(first: $n) { edges { node { versions(first: $n) { version } } } } } }", variables: { n: 200 } },
  });
  expect(costly.status()).toBe(400);
  expect((await costly.json()).errors[0].message).toMatch(/^Operation Costly could return about \d+ objects; the limit is 20000\./);
});
