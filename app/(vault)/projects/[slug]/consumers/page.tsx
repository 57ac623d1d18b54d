import Link from "next/link";
import { getActor } from "@/lib/auth/get-actor";
import { listConsumers } from "@/lib/consumers/list-consumers";
import { When } from "../../../_components/when";
import { currentProject } from "../current-project";
import { NewConsumerForm } from "./_components/new-consumer-form";
import { KIND_LABEL } from "./_components/types";

export const dynamic = "force-dynamic";

// Who uses which secret, and when each consumer last resolved its environment.
export default async function ConsumersPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const project = await currentProject(slug);
  const consumers = await listConsumers(actor, project.id);
  const canManage = project.viewerPermissions.includes("secrets:manage");
  return (
    <>
      <h1>Consumers</h1>
      <p className="muted">
        Agents, task templates and integration credentials run with this project&apos;s secrets: the ones you tick, under their own name or an alias,
        and the ones their templates name as <code>{"{{NAME}}"}</code>.
      </p>
      {canManage ? <NewConsumerForm slug={slug} /> : null}
      {consumers.length === 0 ? (
        <div className="empty">
          <p>No consumers yet.</p>
          <p>{canManage ? "Create one above, then tick the secrets it uses." : "Someone who can manage secrets can create one."}</p>
        </div>
      ) : (
        <div className="table-wrap">
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
                  <td className="mono">
                    <Link href={`/projects/${slug}/consumers/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{KIND_LABEL[c.kind]}</td>
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
                        <li key={t.variable} className="mono truncate" title={`${t.variable}=${t.template}`}>
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
                  <td data-testid="last-used">
                    <When at={c.lastResolvedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
