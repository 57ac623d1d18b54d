import Link from "next/link";
import { getActor } from "@/lib/auth/get-actor";
import { listProjects } from "@/lib/projects/get-project";
import { CreateProjectForm } from "./_components/create-project-form";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const projects = await listProjects(await getActor());
  return (
    <main className="page">
      <h1>Projects</h1>
      <ul className="project-list">
        {projects.map((p) => (
          <li key={p.id}>
            <Link href={`/projects/${p.slug}`}>{p.name}</Link> <span className="muted mono">{p.slug}</span>{" "}
            <span className="badge">{p.viewerRole?.toLowerCase()}</span>
          </li>
        ))}
      </ul>
      <CreateProjectForm />
    </main>
  );
}
