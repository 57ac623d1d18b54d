import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { transientDbError } from "@/lib/transient-errors";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { typeDefs } from "./generated/type-defs";

// graphql-js echoes rejected literals and variables in its messages ("got invalid value …",
// "Value "…" does not exist in …", "cannot represent … value: …"). Those could be a secret typed
// into the wrong field, so before a message leaves the server every quoted string that is not a
// name from the schema (type, field, argument, enum value, $variable) becomes "…", and unquoted
// echoes are cut.
const schemaNames = new Set(typeDefs.match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? []);

export function scrubMessage(message: string): string {
  return message
    .replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) =>
      schemaNames.has(inner.replace(/[[\]!]/g, "")) || /^\$[_A-Za-z][_0-9A-Za-z]*$/.test(inner) ? quoted : '"…"',
    )
    .replace(/got invalid value [\s\S]*?(; |$)/, "got an invalid value$1")
    .replace(/(cannot represent[^:]*value): [\s\S]*$/i, "$1")
    .replace(/found [^"][\s\S]*?(\.|$)/, "found an invalid value$1")
    .replace(/Unexpected (character|token|Name|String) [\s\S]*$/, "Unexpected $1")
    // Suggestions name fields, types and enum values the caller did not ask about.
    .replace(/ ?Did you mean[^?]*\?/g, "");
}

const KNOWN_GRAPHQL_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

// The code a client sees for an error (also what the request log records).
export function errorCode(error: unknown, formattedCode?: unknown): string {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return original.code;
  if (transientDbError(original)) return "UNAVAILABLE";
  const code = formattedCode ?? (error as { extensions?: { code?: unknown } })?.extensions?.code;
  return typeof code === "string" && KNOWN_GRAPHQL_CODES.has(code) ? code : "INTERNAL_SERVER_ERROR";
}

// AppErrors keep their code and message; graphql-js request errors keep their code with a scrubbed
// message; anything else is logged (name and code only: driver messages can quote arguments) and
// answered as INTERNAL_SERVER_ERROR with no detail.
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const unwrapped = unwrapResolverError(error);
  // A database that is down or a lost deadlock is "try again" (UNAVAILABLE), not an internal error.
  const original = transientDbError(unwrapped) ?? unwrapped;
  if (original instanceof AppError) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: original.code, ...(original.details ?? {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && KNOWN_GRAPHQL_CODES.has(code)) {
    return { message: scrubMessage(formatted.message), locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  const e = original as { name?: string; code?: unknown } | undefined;
  log.error("graphql.internal_error", { errorName: e?.name ?? typeof original, errorCode: typeof e?.code === "string" ? e.code : undefined, path: formatted.path?.join(".") });
  return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}
