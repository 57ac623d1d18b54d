import "server-only";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { env } from "@/lib/env";
import type { GraphQLContext } from "./context";
import { formatError } from "./errors";
import { typeDefs } from "./generated/type-defs";
import { resolvers } from "./resolvers";

export function createApolloServer() {
  return new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers,
    csrfPrevention: true,
    introspection: env().NODE_ENV !== "production",
    includeStacktraceInErrorResponses: false,
    formatError,
    // The landing pages load assets from the internet; the endpoint serves JSON only.
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
}
