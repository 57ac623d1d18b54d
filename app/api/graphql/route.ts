import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { NextRequest } from "next/server";
import { getActor } from "@/lib/auth/get-actor";
import { buildContext, type GraphQLContext } from "@/graphql/context";
import { createApolloServer } from "@/graphql/server";
import { isJsonContentType, MAX_BODY_BYTES, readBody, TOO_LARGE } from "@/lib/http/body";

export const dynamic = "force-dynamic";

// The body is read and parsed here, not by @as-integrations/next: that integration hands the whole
// body to `request.json()`, with no size limit, and V8's JSON.parse error quotes the body ("Unexpected
// token … "{"query": … CANARY_…"… is not valid JSON"), which Next then logs and answers with. Here a
// body over MAX_BODY_BYTES is refused with 413 (lib/http/body.ts), and a body that is not JSON gets a
// fixed message: no part of it reaches a log or response.

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
    if (isJsonContentType(request.headers.get("content-type"))) {
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
