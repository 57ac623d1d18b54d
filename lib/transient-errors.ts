import { AppError } from "./errors";

// Database failures that say "try again" rather than "this request is wrong": the database is
// down or restarting, the pool is exhausted, or a transaction lost a deadlock or serialization
// conflict. Clients get UNAVAILABLE for these, never INTERNAL_SERVER_ERROR.
// P2028: a transaction could not start in time (every pooled connection busy) or was cut short.
const UNREACHABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const CONFLICT = new Set(["P2034"]);
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseDoesNotExist"]);
// PostgreSQL SQLSTATEs: serialization failure, deadlock; connection exceptions (08…), shutdown and
// recovery (57P01–57P03), lock and statement timeouts.
const PG_CONFLICT = new Set(["40001", "40P01"]);
const PG_UNREACHABLE = /^(08|57P0[123]$|53300$)/;
const NODE_UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND"]);

type Kind = "conflict" | "unreachable";

function kindOf(error: unknown, depth = 0): Kind | null {
  if (!error || typeof error !== "object" || depth > 4) return null;
  const e = error as { code?: unknown; kind?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown; originalError?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : typeof e.originalCode === "string" ? e.originalCode : "";
  if (CONFLICT.has(code) || PG_CONFLICT.has(code) || e.kind === "TransactionWriteConflict") return "conflict";
  if (UNREACHABLE.has(code) || PG_UNREACHABLE.test(code) || NODE_UNREACHABLE.has(code)) return "unreachable";
  if (typeof e.kind === "string" && UNREACHABLE_KINDS.has(e.kind)) return "unreachable";
  // node-postgres says "…is not queryable" (no code) for a pooled connection the server cut mid-transaction.
  if (typeof e.message === "string" && /Connection terminated|connection timeout|Can't reach database server|Client has encountered a connection error|Client was closed and is not queryable/i.test(e.message)) return "unreachable";
  // originalError: a GraphQLError wrapping the failure (Apollo's "Context creation failed").
  return kindOf(e.meta?.driverAdapterError, depth + 1) ?? kindOf(e.cause, depth + 1) ?? kindOf(e.originalError, depth + 1);
}

// The AppError to answer for a transient database failure, or null for anything else.
export function transientDbError(error: unknown): AppError | null {
  const kind = kindOf(error);
  if (kind === "conflict") return new AppError("UNAVAILABLE", "The database could not complete this change because of a concurrent one; try again");
  if (kind === "unreachable") return new AppError("UNAVAILABLE", "The database is unavailable right now; try again shortly");
  return null;
}

// Runs a transaction again (bounded, with jittered backoff) when it lost a deadlock or
// serialization conflict; then answers UNAVAILABLE. `fn` must be safe to repeat: it runs a whole
// database transaction that either committed or left nothing.
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (kindOf(error) !== "conflict") throw error;
      if (attempt >= attempts) throw transientDbError(error)!;
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 20));
    }
  }
}
