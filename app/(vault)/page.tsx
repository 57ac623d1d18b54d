import Link from "next/link";
import { getActor } from "@/lib/auth/get-actor";
import { listProjects } from "@/lib/projects/get-project";
import { CreateProjectForm } from "./_components/create-project-form";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const projects = await listProjects(await getActor());
  // First run: only the Personal project every account gets.
  const firstRun = projects.length === 1 && projects[0].personal;
  const personal = projects.find((p) => p.personal);
  return (
    <main className="page">
      {firstRun && personal ? (
        <section className="welcome" aria-labelledby="welcome-heading">
          <h1 id="welcome-heading">Welcome to the vault</h1>
          <p>You have a Personal project for your own secrets. Values you store are encrypted and never shown again, only a hint.</p>
          <ol className="steps">
            <li>
              <Link href={`/projects/${personal.slug}`}>Add a secret</Link> to your Personal project (Add Secret, or a provider preset).
            </li>
            <li>
              <Link href={`/projects/${personal.slug}/consumers`}>Create a consumer</Link> (an agent, task template or integration credential) and tick the
              secrets it uses.
            </li>
            <li>
              Mint an <Link href={`/projects/${personal.slug}/tokens`}>API token</Link> with <code>secrets:inject</code> and run your job with{" "}
              <code>vault run --consumer NAME -- ./job.sh</code>.
            </li>
            <li>Working with a team? Create a shared project below, or ask one of its admins to add you as a member.</li>
          </ol>
        </section>
      ) : (
        <h1>Projects</h1>
      )}
      {firstRun ? <h2>Your projects</h2> : null}
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
