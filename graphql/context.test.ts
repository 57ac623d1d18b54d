// A database that goes away while the caller is being identified (the API token or session user is
// looked up before any resolver runs) answers like the same failure inside a resolver: HTTP 200 with
// UNAVAILABLE, never Apollo's "Context creation failed" HTTP 500 / INTERNAL_SERVER_ERROR.
// e2e/fault-postgres-outage.spec.ts shows it against a PostgreSQL that is stopped under load.
import { HeaderMap } from "@apollo/server";
import { describe, expect, it } from "vitest";
import { transientDbError } from "@/lib/transient-errors";
import { buildContext, type GraphQLContext } from "./context";
import { createApolloServer } from "./server";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

async function post(context: () => Promise<GraphQLContext>) {
  const server = createApolloServer();
  await server.start();
  try {
    const headers = new HeaderMap([["content-type", "application/json"]]);
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: "POST", headers, search: "", body: { query: "{ viewer { id } }" } },
      context,
    });
    return { status: response.status ?? 200, body: JSON.parse(response.body.kind === "complete" ? response.body.string : "{}") };
  } finally {
    await server.stop();
  }
}

describe("a database failure while the request's context is built", () => {
  it("answers HTTP 200 with UNAVAILABLE", async () => {
    const r = await post(() => buildContext(() => Promise.reject(refused())));
    expect(r).toEqual({ status: 200, body: { errors: [{ message: "The database is unavailable right now; try again shortly", extensions: { code: "UNAVAILABLE" } }] } });
  });

  it("leaves other failures to Apollo (HTTP 500, INTERNAL_SERVER_ERROR, no detail)", async () => {
    const r = await post(() => buildContext(() => Promise.reject(new Error("a bug, CANARY_context"))));
    expect(r.status).toBe(500);
    expect(r.body.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(r.body)).not.toContain("CANARY_context");
  });

  it("recognises node-postgres's codeless errors for a connection the server cut", () => {
    for (const message of ["Client has encountered a connection error and is not queryable", "Client was closed and is not queryable"]) {
      expect(transientDbError(new Error(message))?.code, message).toBe("UNAVAILABLE");
    }
  });
});
