import { getActor } from "@/lib/auth/get-actor";
import { listConsumers } from "@/lib/consumers/consumers";

import { currentProject } from "../current-project";

export const dynamic = "force-dynamic";

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never");

// Who uses which secret, and when each consumer last resolved its environment.
export default async function ConsumersPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const project = await currentProject(slug);
  const consumers = await listConsumers(actor, project.id);
  return (
    <>
      <h1>Consumers</h1>
      {consumers.length === 0 ? (
        <p className="muted">No consumers yet. Agents, task templates and integration credentials that use this project&apos;s secrets appear here.</p>
      ) : (
        <table className="table" aria-label="Consumers">
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col">Kind</th>
              <th scope="col">Attached secrets</th>
              <th scope="col">Templates</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {consumers.map((c) => (
              <tr key={c.id} data-testid={`consumer-${c.name}`}>
                <td className="mono">{c.name}</td>
                <td>{c.kind.replace(/_/g, " ").toLowerCase()}</td>
                <td>
                  <ul className="plain">
                    {c.attachments.map((a) => (
                      <li key={a.secretName} className="mono">
                        {a.variable}
                        {a.alias ? ` ← ${a.secretName}` : ""}
                        {a.missing ? <strong className="error"> (deleted)</strong> : null}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <ul className="plain">
                    {c.templates.map((t) => (
                      <li key={t.variable} className="mono">
                        {t.variable}={t.template}
                      </li>
                    ))}
                  </ul>
                  {c.conflicts.map((x) => (
                    <p key={x.variable} className="error">
                      {x.variable} is set by {x.sources.join(" and ")}; the template wins
                    </p>
                  ))}
                </td>
                <td data-testid="last-used">{when(c.lastResolvedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
