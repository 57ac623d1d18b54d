import type { Actor } from "@/lib/auth/actor";

export interface GraphQLContext {
  actor: Actor | null;
}
