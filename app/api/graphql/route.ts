import { startServerAndCreateNextHandler } from "@as-integrations/next";
import type { NextRequest } from "next/server";
import { getActor } from "@/lib/auth/get-actor";
import type { GraphQLContext } from "@/graphql/context";
import { createApolloServer } from "@/graphql/server";

export const dynamic = "force-dynamic";

// Created on the first request, not at import: the build imports this module without a database.
let handler: ((request: NextRequest) => Promise<Response>) | undefined;

function graphqlHandler() {
  handler ??= startServerAndCreateNextHandler<NextRequest, GraphQLContext>(createApolloServer(), {
    context: async () => ({ actor: await getActor() }),
  });
  return handler;
}

export async function GET(request: NextRequest) {
  return graphqlHandler()(request);
}

export async function POST(request: NextRequest) {
  return graphqlHandler()(request);
}
