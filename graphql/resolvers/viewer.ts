import { unauthenticated } from "@/lib/errors";
import type { QueryResolvers } from "../generated/resolvers-types";

export const viewerQuery: QueryResolvers["viewer"] = (_parent, _args, { actor }) => {
  if (!actor) throw unauthenticated();
  if (actor.kind === "user") return { id: actor.userId, email: actor.email, kind: "USER" };
  if (actor.kind === "token") return { id: actor.tokenId, email: null, kind: "TOKEN" };
  return { id: "operator", email: null, kind: "OPERATOR" };
};
