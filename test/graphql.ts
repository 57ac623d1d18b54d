import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import type { Actor } from "../lib/auth/actor";
import { createApolloServer } from "../graphql/server";

// Runs an operation through the real schema, resolvers and error formatting, in-process.
const server = createApolloServer();

export interface GqlResult<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: unknown[] }[];
  raw: string;
}

export async function gql<T, V extends Record<string, unknown>>(
  actor: Actor | null,
  document: TypedDocumentNode<T, V> | string,
  variables?: V,
): Promise<GqlResult<T>> {
  const query = typeof document === "string" ? document : print(document);
  const response = await server.executeOperation({ query, variables }, { contextValue: { actor } });
  if (response.body.kind !== "single") throw new Error("unexpected incremental response");
  const { data, errors } = response.body.singleResult;
  return { data: data as T | null | undefined, errors: errors as GqlResult<T>["errors"], raw: JSON.stringify(response.body.singleResult) };
}

export const codeOf = (result: GqlResult<unknown>) => result.errors?.[0]?.extensions?.code;
