import Link from "next/link";
import { getActor } from "@/lib/auth/get-actor";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { AppError } from "@/lib/errors";
import { When } from "../../../_components/when";
import { currentProject } from "../current-project";
import { ACTION_LABEL, actionLabel } from "./describe";
import { AuditDetails } from "./details";

export const dynamic = "force-dynamic";

type Filters = { secret?: string; actor?: string; action?: string; from?: string; to?: string; after?: string };
const FILTER_KEYS = ["secret", "actor", "action", "from", "to"] as const;

export default async function AuditPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Filters> }) {
  const actor = await getActor();
  const { slug } = await params;
  const filters = await searchParams;
  const project = await currentProject(slug);
  let problem: string | null = null;
  const page = await listAuditEvents(actor, {
    projectId: project.id,
    first: 50,
    after: filters.after,
    secretName: filters.secret || null,
    actor: filters.actor || null,
    action: filters.action || null,
    from: filters.from || null,
    to: filters.to || null,
  }).catch((error) => {
    if (!(error instanceof AppError) || error.code !== "BAD_USER_INPUT") throw error;
    problem = error.message;
    return { nodes: [], hasNextPage: false, endCursor: null };
  });
  const kept = Object.fromEntries(FILTER_KEYS.flatMap((k) => (filters[k] ? [[k, filters[k]!]] : [])));
  const query = (extra: Record<string, string>) => `?${new URLSearchParams({ ...kept, ...extra })}`;
  return (
    <>
      <h1>Audit log</h1>
      <form className="filters inline-form" aria-label="Filter audit events">
        <div className="field">
          <label htmlFor="audit-secret">Secret</label>
          <input id="audit-secret" name="secret" className="mono" defaultValue={filters.secret} placeholder="STRIPE_KEY" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input id="audit-actor" name="actor" defaultValue={filters.actor} placeholder="email or token name" />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ""}>
            <option value="">Any</option>
            {Object.entries(ACTION_LABEL).map(([action, label]) => (
              <option key={action} value={action}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input id="audit-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input id="audit-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <button type="submit">Filter</button>
        {Object.keys(kept).length ? <Link href="?">Clear</Link> : null}
      </form>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table audit" aria-label="Audit events">
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
                  {Object.keys(kept).length ? "No events match these filters." : "No events yet. Changes to secrets, consumers, members and tokens appear here."}
                </td>
              </tr>
            ) : null}
            {page.nodes.map((e) => (
              <tr key={e.id}>
                <td data-label="When">
                  <When at={e.createdAt} />
                </td>
                <td data-label="Who" className="break">
                  {e.actorLabel || "operator"}
                </td>
                <td data-label="Action" title={e.action}>
                  {actionLabel(e.action)}
                </td>
                <td data-label="Secret" className="mono break">
                  {e.secretName ? <Link href={`/projects/${slug}/secrets/${e.secretName}`}>{e.secretName}</Link> : "—"}
                </td>
                <td data-label="Details">
                  <AuditDetails details={e.details} />
                </td>
                <td data-label="Client">{e.client}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Pages">
        {filters.after ? <Link href={query({})}>Newest</Link> : null}
        {page.hasNextPage ? <Link href={query({ after: page.endCursor! })}>Older</Link> : null}
      </nav>
    </>
  );
}
