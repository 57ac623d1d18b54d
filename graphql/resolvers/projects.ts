import { createProject } from "@/lib/projects/create-project";
import { getProject, listProjects } from "@/lib/projects/get-project";
import { addMember, listMembers, removeMember, setMemberRole } from "@/lib/projects/members";
import type { Resolvers } from "../generated/resolvers-types";
import { page } from "../paging";

export const projectResolvers: Resolvers = {
  Query: {
    projects: (_p, _a, { actor }) => listProjects(actor),
    project: (_p, { slug }, { actor }) => getProject(actor, slug),
  },
  Project: {
    members: (project, args, { actor }) => listMembers(actor, project.id, page(args)),
  },
  Mutation: {
    createProject: (_p, { input }, { actor }) => createProject(actor, input),
    addMember: (_p, { input }, { actor }) => addMember(actor, input),
    setMemberRole: (_p, { input }, { actor }) => setMemberRole(actor, input),
    removeMember: (_p, { input }, { actor }) => removeMember(actor, input),
  },
};
