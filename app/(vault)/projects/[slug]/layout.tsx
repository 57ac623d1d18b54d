import type { ReactNode } from "react";
import { getActor } from "@/lib/auth/get-actor";
import { listProjects } from "@/lib/projects/get-project";
import { currentProject } from "./current-project";
import { ProjectNav } from "./_components/project-nav";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const project = await currentProject((await params).slug);
  const projects = await listProjects(await getActor());
  return (
    <main className="page">
      <ProjectNav
        current={{ slug: project.slug, name: project.name }}
        projects={projects.map((p) => ({ slug: p.slug, name: p.name }))}
        admin={project.viewerPermissions.includes("members:manage")}
      />
      {children}
    </main>
  );
}
