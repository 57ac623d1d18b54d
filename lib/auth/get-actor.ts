import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { authOptions } from "./options";
import { tokenActor, userActor, type Actor } from "./actor";

// The one way pages, server actions and the GraphQL route learn who is calling: an API token in
// `Authorization: Bearer`, or else the signed-in session. Deduplicated per request.
export const getActor = cache(async (): Promise<Actor | null> => {
  const h = await headers();
  const authorization = h.get("authorization");
  // What the caller says it is (CLI, CI script, dashboard), recorded in audit rows: printable, short.
  const client = (h.get("x-vault-client") ?? "").replace(/[^\w .:/@+-]/g, "").slice(0, 40) || (authorization ? "api" : "web");
  if (authorization) {
    const [scheme, credential] = authorization.split(/\s+/, 2);
    // A bearer header that is not a valid token is refused, never treated as "use the session".
    return scheme?.toLowerCase() === "bearer" && credential ? tokenActor(credential, client) : null;
  }
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  return userId ? userActor(userId, client) : null;
});
