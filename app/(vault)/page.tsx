import Link from "next/link";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { listProjectsFor } from "@/lib/projects/access";
import { SignOutButton } from "./_components/sign-out-button";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const actor = await getActor();
  if (!actor || actor.kind !== "user") redirect("/login");
  const projects = await listProjectsFor(actor);
  return (
    <>
      <header className="topbar">
        <span className="brand">Secrets Vault</span>
        <span>
          Signed in as <strong data-testid="signed-in-email">{actor.email}</strong> <SignOutButton />
        </span>
      </header>
      <main className="page">
        <h1>Projects</h1>
        <ul>
          {projects.map((p) => (
            <li key={p.id}>
              {p.name} <span className="muted mono">{p.slug}</span> · <Link href={`/projects/${p.slug}/consumers`}>Consumers</Link>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
