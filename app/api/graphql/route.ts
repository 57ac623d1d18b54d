import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { NextRequest } from "next/server";
import { getActor } from "@/lib/auth/get-actor";
import { buildContext, type GraphQLContext } from "@/graphql/context";
import { createApolloServer } from "@/graphql/server";

export const dynamic = "force-dynamic";

// The largest request body the endpoint reads. Operations are small; variables carry secret values
// of at most a few KiB each.
const MAX_BODY_BYTES = 1024 * 1024;

// The body is read and parsed here, not by @as-integrations/next: that integration hands the whole
// body to `request.json()`, with no size limit, and V8's JSON.parse error quotes the body ("Unexpected
// token … "{"query": … CANARY_…"… is not valid JSON"), which Next then logs and answers with. Here a
// body over MAX_BODY_BYTES is refused with 413 from its Content-Length, or as soon as the bytes read
// pass it, and a body that is not JSON gets a fixed message: no part of it reaches a log or response.

// Created on the first request, not at import: the build imports this module without a database.
let server: ApolloServer<GraphQLContext> | undefined;

function apollo() {
  if (!server) {
    server = createApolloServer();
    server.startInBackgroundHandlingStartupErrorsByLoggingAndFailingAllRequests();
  }
  return server;
}

const refuse = (status: number, code: string, message: string) =>
  Response.json({ errors: [{ message, extensions: { code } }] }, { status, headers: { "cache-control": "no-store" } });

const tooLarge = () => refuse(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes`);

const TOO_LARGE = Symbol("too large");

// The body as text, or TOO_LARGE without reading more than MAX_BODY_BYTES (+ one chunk) of it.
async function readBody(request: Request): Promise<string | typeof TOO_LARGE> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) return TOO_LARGE;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const isJson = (contentType: string | null) => /^application\/(graphql-response\+)?json\s*(;|$)/i.test(contentType?.trim() ?? "");

async function handle(request: NextRequest) {
  let body: unknown;
  if (request.method === "POST") {
    let text: string | typeof TOO_LARGE;
    try {
      text = await readBody(request);
    } catch {
      // The client went away mid-body; nothing to answer, nothing worth logging.
      return refuse(400, "BAD_REQUEST", "The request body could not be read");
    }
    if (text === TOO_LARGE) return tooLarge();
    if (isJson(request.headers.get("content-type"))) {
      try {
        body = JSON.parse(text);
      } catch {
        return refuse(400, "BAD_REQUEST", "The request body is not valid JSON");
      }
    } else {
      // Apollo refuses other content types (and csrfPrevention the simple ones) on its own.
      body = text;
    }
  }
  const headers = new HeaderMap();
  request.headers.forEach((value, key) => headers.set(key, value));
  const response = await apollo().executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method.toUpperCase(), headers, search: new URL(request.url).search, body },
    context: () => buildContext(getActor),
  });
  const responseHeaders = new Headers();
  for (const [key, value] of response.headers) responseHeaders.set(key, value);
  const init = { status: response.status ?? 200, headers: responseHeaders };
  if (response.body.kind === "complete") return new Response(response.body.string, init);
  const chunks = response.body.asyncIterator;
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    }),
    init,
  );
}

export async function GET(request: NextRequest) {
  return handle(request);
}

export async function POST(request: NextRequest) {
  return handle(request);
}
