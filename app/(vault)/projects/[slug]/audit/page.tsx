import Link from "next/link";
import { getActor } from "@/lib/auth/get-actor";
import { listAuditEvents } from "@/lib/audit/list-audit-events";

import { currentProject } from "../current-project";

export const dynamic = "force-dynamic";

export default async function AuditPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ secret?: string; actor?: string; after?: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const filters = await searchParams;
  const project = await currentProject(slug);
  const page = await listAuditEvents(actor, { projectId: project.id, first: 50, after: filters.after, secretName: filters.secret || null, actor: filters.actor || null });
  const query = (extra: Record<string, string>) =>
    `?${new URLSearchParams({ ...(filters.secret ? { secret: filters.secret } : {}), ...(filters.actor ? { actor: filters.actor } : {}), ...extra })}`;
  return (
    <>
      <h1>Audit log</h1>
      <form className="filters" aria-label="Filter audit events">
        <div className="field">
          <label htmlFor="audit-secret">Secret</label>
          <input id="audit-secret" name="secret" className="mono" defaultValue={filters.secret} placeholder="STRIPE_KEY" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" name="actor" defaultValue={filters.actor} placeholder="email or token name" />
        </div>
        <button type="submit">Filter</button>
      </form>
      <table className="table" aria-label="Audit events">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Secret</th>
            <th scope="col">Details</th>
            <th scope="col">Client</th>
          </tr>
        </thead>
        <tbody>
          {page.nodes.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                No events.
              </td>
            </tr>
          ) : null}
          {page.nodes.map((e) => (
            <tr key={e.id}>
              <td>{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td>{e.actorLabel}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.secretName}</td>
              <td className="mono small">{JSON.stringify(e.details)}</td>
              <td>{e.client}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        {filters.after ? <Link href={query({})}>Newest</Link> : null}
        {page.hasNextPage ? <Link href={query({ after: page.endCursor! })}>Older</Link> : null}
      </nav>
    </>
  );
}
