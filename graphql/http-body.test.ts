// The HTTP edge of /api/graphql (app/api/graphql/route.ts), in-process: a body over 1 MiB is
// refused with 413 from its Content-Length or while it streams in, without being read whole, and a
// body that is not JSON is refused without any part of it reaching the response or a log.
// e2e/graphql-limits.spec.ts asks the same of the production server.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { canaryValue, captureLogs } from "../test/canary";

vi.mock("@/lib/auth/get-actor", () => ({ getActor: async () => null }));
const { POST } = await import("@/app/api/graphql/route");

const LIMIT = 1024 * 1024;
const CHUNK = 64 * 1024;
const url = "http://127.0.0.1/api/graphql";

// A body of `total` bytes in 64 KiB chunks that records how much of it was pulled.
function countingBody(total: number) {
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK, total - state.pulled)).fill(0x20);
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, state };
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  POST(new NextRequest(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]));

describe("the request body cap", () => {
  it("answers 413 from Content-Length alone, reading nothing", async () => {
    const { stream, state } = countingBody(2 * LIMIT);
    const res = await post(stream, { "content-length": String(2 * LIMIT) });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0]).toEqual({ message: `The request body is larger than ${LIMIT} bytes`, extensions: { code: "PAYLOAD_TOO_LARGE" } });
    expect(state.pulled).toBeLessThanOrEqual(CHUNK);
  });

  it("answers 413 to a chunked body once more than 1 MiB has arrived, without reading the rest", async () => {
    const { stream, state } = countingBody(20 * LIMIT);
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(state.pulled).toBeGreaterThan(LIMIT);
    // Read up to the limit (plus what the stream had queued), not the 20 MiB behind it.
    expect(state.pulled).toBeLessThanOrEqual(LIMIT + 4 * CHUNK);
  });

  it("passes a body just under the cap on to Apollo", async () => {
    const body = JSON.stringify({ query: "{ viewer { id } }", padding: "x".repeat(LIMIT - 100) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMIT);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect((await res.json()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("keeps Apollo's CSRF prevention: a text/plain post is refused", async () => {
    const res = await post(JSON.stringify({ query: "{ viewer { id } }" }), { "content-type": "text/plain" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("CSRF");
  });
});

describe("a body that is not JSON", () => {
  const canary = canaryValue();
  // V8 quotes up to ten characters around the error: the canary's first ten are what would show.
  const prefix = canary.slice(0, 10);
  const logs = captureLogs();
  const printed: string[] = [];
  let spies: { mockRestore(): void }[] = [];
  beforeAll(() => {
    const keep = (...args: unknown[]) => void printed.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "));
    spies = [
      vi.spyOn(console, "error").mockImplementation(keep),
      vi.spyOn(console, "warn").mockImplementation(keep),
      vi.spyOn(console, "log").mockImplementation(keep),
      vi.spyOn(console, "info").mockImplementation(keep),
    ];
  });
  afterAll(() => {
    for (const s of spies) s.mockRestore();
    logs.restore();
  });

  const bodies = [
    `{"query": "{ viewer { id } }", "x": "${canary}`,
    `{"query": "{ viewer { id } }", "x": ${canary}}`,
    `{"x":${canary}}`,
    canary,
    `{"query": "{ viewer { id } }", "variables": {"v": "${canary}"}}}`,
  ];

  it("is answered 400 with a fixed message, and no part of it is in the response or a log", async () => {
    for (const body of bodies) {
      for (const contentType of ["application/json", "application/json; charset=utf-8"]) {
        const res = await post(body, { "content-type": contentType });
        const text = await res.text();
        expect(res.status).toBe(400);
        expect(JSON.parse(text)).toEqual({ errors: [{ message: "The request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] });
        expect(text).not.toContain(prefix);
      }
    }
    const everything = [...printed, ...logs.lines].join("\n");
    expect(everything).not.toContain(prefix);
  });
});
