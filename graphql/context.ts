import { GraphQLError } from "graphql";
import type { Actor } from "@/lib/auth/actor";
import { transientDbError } from "@/lib/transient-errors";

export interface GraphQLContext {
  actor: Actor | null;
}

// Who is calling is looked up in the database (API token, session user) before any resolver runs.
// A database that is down then answers like the same failure inside a resolver: HTTP 200 with
// UNAVAILABLE (formatError maps the wrapped error), not Apollo's "Context creation failed" HTTP 500.
export async function buildContext(getActor: () => Promise<Actor | null>): Promise<GraphQLContext> {
  try {
    return { actor: await getActor() };
  } catch (error) {
    const unavailable = transientDbError(error);
    if (!unavailable) throw error;
    throw new GraphQLError(unavailable.message, { originalError: error as Error, extensions: { http: { status: 200 } } });
  }
}
