import Link from "next/link";
import { getActor } from "@/lib/auth/get-actor";
import { unusedSecrets } from "@/lib/consumers/unused-secrets";
import { UnusedList } from "../_components/unused-list";
import { currentProject } from "../current-project";

export const dynamic = "force-dynamic";

// Secrets no consumer resolved in the last 30 or 90 days (never-resolved ones included): candidates
// for clean-up, deleted through the same confirmations as one at a time.
export default async function UnusedPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ days?: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const days = (await searchParams).days === "90" ? 90 : 30;
  const project = await currentProject(slug);
  const rows = await unusedSecrets(actor, project.id, days);
  return (
    <>
      <h1>Unused secrets</h1>
      <nav className="tabs" aria-label="Period">
        {[30, 90].map((d) => (
          <Link key={d} href={`/projects/${slug}/unused?days=${d}`} aria-current={d === days ? "page" : undefined}>
            {d} days
          </Link>
        ))}
      </nav>
      <p className="muted">
        Secrets no consumer has resolved in the last {days} days, including ones never resolved. Secrets used only by people or scripts outside the vault&apos;s
        consumers appear here too: check before deleting.
      </p>
      {rows.length === 0 ? (
        <div className="empty">
          <p>Every secret was resolved by a consumer in the last {days} days.</p>
        </div>
      ) : (
        <UnusedList
          slug={slug}
          rows={rows.map((r) => ({ id: r.id, name: r.name, description: r.description, updatedAt: r.updatedAt.toISOString() }))}
          canManage={project.viewerPermissions.includes("secrets:manage")}
        />
      )}
    </>
  );
}
