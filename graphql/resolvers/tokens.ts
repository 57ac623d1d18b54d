import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { createApiToken, listApiTokens, revokeApiToken } from "@/lib/tokens/api-tokens";
import type { Resolvers } from "../generated/resolvers-types";
import { page } from "../paging";

export const tokenResolvers: Resolvers = {
  Project: {
    apiTokens: (project, args, { actor }) => listApiTokens(actor, project.id, page(args)),
    auditEvents: async (project, args, { actor }) => {
      const page = await listAuditEvents(actor, { projectId: project.id, ...args });
      return {
        edges: page.nodes.map((node) => ({ cursor: node.id, node })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      };
    },
  },
  Mutation: {
    createApiToken: (_p, { input }, { actor }) => createApiToken(actor, input),
    revokeApiToken: (_p, { id }, { actor }) => revokeApiToken(actor, id),
  },
};
