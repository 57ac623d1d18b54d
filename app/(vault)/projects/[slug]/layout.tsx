import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getActor } from "@/lib/auth/get-actor";
import { getProject, listProjects, viewerPermissions } from "@/lib/projects/get-project";
import { ProjectNav } from "./_components/project-nav";

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const project = await getProject(actor, slug);
  if (!project) notFound();
  const [projects, permissions] = await Promise.all([listProjects(actor), viewerPermissions(actor, project.id)]);
  return (
    <main className="page">
      <ProjectNav
        current={{ slug: project.slug, name: project.name }}
        projects={projects.map((p) => ({ slug: p.slug, name: p.name }))}
        admin={permissions.includes("members:manage")}
      />
      {children}
    </main>
  );
}
