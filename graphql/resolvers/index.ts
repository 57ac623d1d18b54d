import type { Resolvers } from "../generated/resolvers-types";
import { DateTime, JSONObject } from "./scalars";
import { viewerQuery } from "./viewer";

export const resolvers: Resolvers = {
  DateTime,
  JSONObject,
  Query: {
    viewer: viewerQuery,
  },
};
