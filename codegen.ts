import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed resolvers (with mappers to the services' DTOs) and a typed client for tests and scripts.
const config: CodegenConfig = {
  schema: "graphql/schema/*.graphql",
  documents: ["client/operations.mjs", "e2e/**/*.ts", "lib/**/*.test.ts", "graphql/**/*.test.ts", "bin/**/*.ts", "test/**/*.ts"],
  ignoreNoDocuments: true,
  generates: {
    "graphql/generated/resolvers-types.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        contextType: "../context#GraphQLContext",
        useIndexSignature: false,
        enumsAsTypes: true,
        scalars: { DateTime: "Date", JSONObject: "Record<string, unknown>" },
        mappers: {
          Project: "@/lib/projects/get-project#ProjectDto",
          Secret: "@/lib/secrets/dto#SecretDto",
        },
      },
    },
    "graphql/generated/client/": {
      preset: "client",
      config: { enumsAsTypes: true, scalars: { DateTime: "string", JSONObject: "Record<string, unknown>" } },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
