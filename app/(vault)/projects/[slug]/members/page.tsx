import { getActor } from "@/lib/auth/get-actor";
import { listMembers } from "@/lib/projects/members";
import { MembersManager } from "../_components/members-manager";

import { currentProject } from "../current-project";

export const dynamic = "force-dynamic";

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const project = await currentProject(slug);
  const members = await listMembers(actor, project.id);
  return (
    <>
      <h1>Members</h1>
      {project.personal ? <p className="muted">A personal project belongs to you alone and cannot be shared.</p> : null}
      <MembersManager
        slug={slug}
        canManage={project.viewerRole === "ADMIN" && !project.personal}
        members={members.map((m) => ({ email: m.user.email, role: m.role, since: m.createdAt.toISOString() }))}
      />
    </>
  );
}
