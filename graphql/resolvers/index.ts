import type { Resolvers } from "../generated/resolvers-types";
import { consumerResolvers } from "./consumers";
import { projectResolvers } from "./projects";
import { DateTime, JSONObject } from "./scalars";
import { secretResolvers } from "./secrets";
import { tokenResolvers } from "./tokens";
import { viewerQuery } from "./viewer";

// One object per domain, merged per type.
const domains = [projectResolvers, secretResolvers, tokenResolvers, consumerResolvers];
const merge = (type: "Query" | "Mutation" | "Project" | "Secret") => Object.assign({}, ...domains.map((d) => d[type] ?? {}));

export const resolvers: Resolvers = {
  DateTime,
  JSONObject,
  Query: { viewer: viewerQuery, ...merge("Query") },
  Mutation: merge("Mutation"),
  Project: merge("Project"),
  Secret: merge("Secret"),
};
