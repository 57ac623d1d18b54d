import Link from "next/link";
import { notFound } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { secretConsumers } from "@/lib/consumers/secret-consumers";
import { listProjects } from "@/lib/projects/get-project";
import { getSecretById, getSecretByName, listSecretVersions } from "@/lib/secrets/list-secrets";
import { NAME_PATTERN } from "@/lib/secrets/names";
import { storageLocations } from "@/lib/secrets/storage-locations";
import { isUuid } from "@/lib/validation";
import { When } from "../../../../_components/when";
import { SecretActions } from "../../_components/secret-actions";
import { metadataText, STORAGE_LABEL, type SecretRowView } from "../../_components/secret-types";
import { AuditDetails } from "../../audit/details";
import { actionLabel } from "../../audit/describe";
import { cloneTargets } from "../../clone-targets";
import { currentProject } from "../../current-project";

export const dynamic = "force-dynamic";

const KIND = { AGENT: "Agent", TASK_TEMPLATE: "Task template", INTEGRATION_CREDENTIAL: "Integration credential" } as const;

// One secret (/projects/<slug>/secrets/<NAME or id>): what it is, where its value lives (the reference path, never the value), its
// versions, who uses it (the blast radius of a rotation or delete) and what happened to it.
export default async function SecretPage({ params }: { params: Promise<{ slug: string; name: string }> }) {
  const actor = await getActor();
  const { slug, name: rawName } = await params;
  const name = decodeURIComponent(rawName);
  const project = await currentProject(slug);
  // By name (what people share) or by id (what API clients hold).
  const secret = NAME_PATTERN.test(name)
    ? await getSecretByName(actor, project.id, name)
    : isUuid(name)
      ? await getSecretById(actor, project.id, name)
      : null;
  if (!secret) notFound();
  const canManage = project.viewerPermissions.includes("secrets:manage");
  const canAudit = project.viewerPermissions.includes("audit:read");
  const [versions, consumers, events, projects, locations] = await Promise.all([
    listSecretVersions(actor, secret.id),
    secretConsumers(actor, secret.id),
    canAudit ? listAuditEvents(actor, { projectId: project.id, first: 20, secretName: secret.name }) : null,
    canManage ? listProjects(actor) : [],
    canManage ? storageLocations(actor, slug) : [],
  ]);
  const metadata = metadataText(secret.metadata);
  const row: SecretRowView = {
    id: secret.id,
    name: secret.name,
    description: secret.description,
    type: secret.type,
    metadata,
    storage: secret.storage,
    referencePath: secret.referencePath,
    hint: secret.hint,
    version: secret.version,
    createdAt: secret.createdAt.toISOString(),
    updatedAt: secret.updatedAt.toISOString(),
    createdBy: secret.createdBy?.email ?? null,
  };
  return (
    <>
      <p>
        <Link href={`/projects/${slug}`}>← Secrets</Link>
      </p>
      <div className="toolbar">
        <h1 className="mono break">{secret.name}</h1>
        {canManage ? (
          <SecretActions
            slug={slug}
            row={row}
            locations={locations.filter((l) => l.available).map((l) => ({ storage: l.storage, default: l.default }))}
            targets={cloneTargets(project, projects)}
          />
        ) : null}
      </div>
      {secret.description ? <p className="break">{secret.description}</p> : <p className="muted">No description.</p>}
      <dl className="facts" aria-label="About this secret">
        <div>
          <dt>Type</dt>
          <dd>{secret.type || "—"}</dd>
        </div>
        <div>
          <dt>Storage</dt>
          <dd>{STORAGE_LABEL[secret.storage]}</dd>
        </div>
        <div>
          <dt>Reference path</dt>
          <dd className="mono break" data-testid="reference-path">
            {secret.referencePath ?? "— (encrypted in the vault's database)"}
          </dd>
        </div>
        <div>
          <dt>Hint</dt>
          <dd className="mono" data-testid="hint">
            {secret.hint}
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>v{secret.version}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <When at={secret.createdAt} /> by {secret.createdBy?.email ?? "an API token or the operator"}
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>
            <When at={secret.updatedAt} /> by {secret.updatedBy?.email ?? "an API token or the operator"}
          </dd>
        </div>
      </dl>

      <section className="section" aria-labelledby="metadata-heading">
        <h2 id="metadata-heading">Metadata</h2>
        {Object.keys(metadata).length === 0 ? (
          <p className="muted">None.{canManage ? " Add key–value pairs with Edit." : ""}</p>
        ) : (
          <dl className="kv" aria-label="Metadata">
            {Object.entries(metadata).map(([k, v]) => (
              <div key={k}>
                <dt className="mono">{k}</dt>
                <dd className="break">{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section className="section" aria-labelledby="consumers-heading">
        <h2 id="consumers-heading">Used by</h2>
        {consumers.length === 0 ? (
          <p className="muted">No consumer uses it: deleting it breaks nothing that the vault knows of.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Consumers using this secret">
              <thead>
                <tr>
                  <th scope="col">Consumer</th>
                  <th scope="col">Kind</th>
                  <th scope="col">How</th>
                  <th scope="col">Last use</th>
                </tr>
              </thead>
              <tbody>
                {consumers.map((c) => (
                  <tr key={c.consumer.id} data-testid={`uses-${c.consumer.name}`}>
                    <td>
                      <Link href={`/projects/${slug}/consumers/${c.consumer.id}`}>{c.consumer.name}</Link>
                    </td>
                    <td>{KIND[c.consumer.kind]}</td>
                    <td>
                      {c.attached ? (
                        <>
                          attached as <span className="mono">{c.variable}</span>
                        </>
                      ) : null}
                      {c.attached && c.templateVariables.length ? "; " : null}
                      {c.templateVariables.length ? (
                        <>
                          named in <span className="mono">{c.templateVariables.join(", ")}</span>
                        </>
                      ) : null}
                    </td>
                    <td data-testid="last-use">
                      <When at={c.lastResolvedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <div className="table-wrap">
          <table className="table" aria-label="Versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Stored in</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>v{v.version}</td>
                  <td>
                    <When at={v.createdAt} />
                  </td>
                  <td>{v.createdBy?.email ?? "API token or operator"}</td>
                  <td>{STORAGE_LABEL[v.storage]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {events ? (
        <section className="section" aria-labelledby="events-heading">
          <h2 id="events-heading">Audit events</h2>
          {events.nodes.length === 0 ? (
            <p className="muted">No events.</p>
          ) : (
            <ul className="plain events" aria-label="Audit events of this secret">
              {events.nodes.map((e) => (
                <li key={e.id}>
                  <When at={e.createdAt} /> · <strong>{actionLabel(e.action)}</strong> by {e.actorLabel || "operator"}
                  <AuditDetails details={e.details} />
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link href={`/projects/${slug}/audit?secret=${encodeURIComponent(secret.name)}`}>All events of {secret.name}</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
