import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/get-actor";
import { AppError, ERROR_CODES, unauthenticated } from "@/lib/errors";
import { isJsonContentType, MAX_BODY_BYTES, readBody, TOO_LARGE } from "@/lib/http/body";
import { log } from "@/lib/log";
import { transientDbError } from "@/lib/transient-errors";
import { parseInput } from "@/lib/validation";

// The REST adapter: who is calling (the same getActor as GraphQL and the pages), CSRF rules for
// cookie-authenticated writes, a capped JSON body, and errors as { error: { code, message } } with
// the HTTP status of the code. Everything else is the services' business.

export interface RestRequest<P> {
  actor: Actor | null;
  params: P;
  query: URLSearchParams;
  // The JSON body parsed with `schema`; BAD_USER_INPUT (never echoing a value) when it does not fit.
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
}

export interface RestResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const NO_STORE = { "cache-control": "no-store" };

function errorResponse(status: number, code: string, message: string, details?: Record<string, unknown>) {
  return Response.json({ error: { code, message, ...(details ? { details } : {}) } }, { status, headers: NO_STORE });
}

// A write that a browser could send with the session cookie must be one no other site can make it
// send: like Apollo's csrfPrevention, a body must be JSON (a "simple" content type cannot be sent
// cross-site without a CORS preflight, which the vault never grants), and an Origin or
// Sec-Fetch-Site the browser reports must be this site. PUT and DELETE always need a preflight.
function refuseCrossSite(request: NextRequest) {
  if (request.headers.get("authorization")) return;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  let sameOrigin = true;
  if (origin !== null) {
    try {
      sameOrigin = new URL(origin).host === (request.headers.get("host") ?? new URL(request.url).host);
    } catch {
      sameOrigin = false;
    }
  }
  if ((site !== null && site !== "same-origin" && site !== "none") || !sameOrigin) {
    throw new HttpRefusal(403, "FORBIDDEN", "Cross-site requests cannot change anything: call the API with a bearer token or from the vault's own pages");
  }
}

export function restRoute<P = Record<string, never>>(route: string, handler: (req: RestRequest<P>) => Promise<RestResult>, opts: { write?: boolean } = {}) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    const started = performance.now();
    let actor: Actor | null = null;
    let status = 500;
    let code: string | undefined;
    try {
      if (opts.write) refuseCrossSite(request);
      actor = await getActor();
      if (!actor) throw unauthenticated();
      let read = false;
      const result = await handler({
        actor,
        params: context ? await context.params : ({} as P),
        query: new URL(request.url).searchParams,
        async body(schema) {
          if (read) throw new Error("body read twice");
          read = true;
          if (!isJsonContentType(request.headers.get("content-type"))) {
            throw new HttpRefusal(400, "BAD_USER_INPUT", "Send a JSON body with Content-Type: application/json");
          }
          let text: string | typeof TOO_LARGE;
          try {
            text = await readBody(request);
          } catch {
            throw new HttpRefusal(400, "BAD_USER_INPUT", "The request body could not be read");
          }
          if (text === TOO_LARGE) throw new HttpRefusal(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes`);
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            throw new HttpRefusal(400, "BAD_USER_INPUT", "The request body is not valid JSON");
          }
          if (typeof json !== "object" || json === null || Array.isArray(json)) throw new HttpRefusal(400, "BAD_USER_INPUT", "The request body must be a JSON object");
          return parseInput(schema, json);
        },
      });
      status = result.status ?? 200;
      return Response.json(result.body, { status, headers: { ...NO_STORE, ...result.headers } });
    } catch (error) {
      const answer = refusalFor(error, route);
      status = answer.status;
      code = answer.code;
      return errorResponse(answer.status, answer.code, answer.message, answer.details);
    } finally {
      log.info("rest", { route, actor: actor?.kind ?? "anonymous", status, durationMs: Math.round(performance.now() - started), ...(code ? { errorCode: code } : {}) });
    }
  };
}

function refusalFor(error: unknown, route: string): { status: number; code: string; message: string; details?: Record<string, unknown> } {
  if (error instanceof HttpRefusal) return { status: error.status, code: error.code, message: error.message };
  const known = error instanceof AppError ? error : transientDbError(error);
  if (known) return { status: ERROR_CODES[known.code], code: known.code, message: known.message, details: known.details };
  // Name and code only: driver messages can quote arguments.
  const e = error as { name?: string; code?: unknown } | undefined;
  log.error("rest.internal_error", { route, errorName: e?.name ?? typeof error, errorCode: typeof e?.code === "string" ? e.code : undefined });
  return { status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal server error" };
}
