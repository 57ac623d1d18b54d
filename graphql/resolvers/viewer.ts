import { unauthenticated } from "@/lib/errors";
import type { QueryResolvers } from "../generated/resolvers-types";

export const viewerQuery: QueryResolvers["viewer"] = (_parent, _args, { actor }) => {
  if (!actor) throw unauthenticated();
  return actor.kind === "user"
    ? { id: actor.userId, email: actor.email, kind: "USER" }
    : { id: actor.tokenId, email: null, kind: "TOKEN" };
};
