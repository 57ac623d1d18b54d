import "server-only";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { ApolloServerPlugin } from "@apollo/server";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { GraphQLContext } from "./context";
import { errorCode, formatError } from "./errors";
import { LIMITS, queryCostPlugin, queryLimitsRule } from "./limits";
import { typeDefs } from "./generated/type-defs";
import { resolvers } from "./resolvers";

// One JSON log line per operation: its name, duration and error codes. Never variables.
const requestLog: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart({ contextValue }) {
    const started = performance.now();
    return {
      async willSendResponse({ operationName, errors }) {
        log.info("graphql", {
          operation: operationName ?? "anonymous",
          actor: contextValue.actor?.kind ?? "anonymous",
          durationMs: Math.round(performance.now() - started),
          errorCodes: errors?.map((e) => errorCode(e)),
        });
      },
    };
  },
};

export function createApolloServer() {
  return new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers,
    csrfPrevention: true,
    introspection: env().NODE_ENV !== "production",
    // Depth, alias and cost limits, checked before anything executes (graphql/limits.ts: the rule
    // here, the cost with the request's variables in queryCostPlugin); the token limit bounds the
    // work of validation itself.
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [queryLimitsRule],
    // No "Did you mean …?" suggestions: they would spell out the schema that introspection hides.
    // In every environment, so tests see what production answers (scrubMessage strips the ones
    // that come from variable coercion, which this option does not reach).
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    // The landing pages load assets from the internet; the endpoint serves JSON only.
    // No cache-control hints (nothing here is cacheable): the default plugin runs a hook on every
    // field of every response, 100 secrets × 8 fields for one page.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), requestLog, queryCostPlugin],
  });
}
