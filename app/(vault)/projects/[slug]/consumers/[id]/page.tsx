import Link from "next/link";
import { notFound } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { environmentPlan } from "@/lib/consumers/consumer-dto";
import { getConsumer } from "@/lib/consumers/list-consumers";
import { AppError } from "@/lib/errors";
import { When } from "../../../../_components/when";
import { currentProject } from "../../current-project";
import { AttachList } from "../_components/attach-list";
import { ConsumerSettings } from "../_components/consumer-settings";
import { TemplatesEditor } from "../_components/templates-editor";
import { KIND_LABEL, type ConsumerView } from "../_components/types";

export const dynamic = "force-dynamic";

// One consumer: what it is, the secrets it gets, its templates and the environment they make.
// Never a value: the environment table shows where each variable comes from.
export default async function ConsumerPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const actor = await getActor();
  const { slug, id } = await params;
  const project = await currentProject(slug);
  const consumer = await getConsumer(actor, id).catch((error) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  if (consumer.projectId !== project.id) notFound();
  const canManage = project.viewerPermissions.includes("secrets:manage");
  const plan = environmentPlan(consumer);
  const conflicts = new Map(plan.conflicts.map((c) => [c.variable, c.sources]));
  const view: ConsumerView = {
    id: consumer.id,
    name: consumer.name,
    kind: consumer.kind,
    allowAllSecrets: consumer.allowAllSecrets,
    templates: consumer.templates,
    attachments: consumer.attachments.map((a) => ({
      secretName: a.secretName,
      alias: a.alias,
      variable: a.variable,
      missing: a.missing,
      lastResolvedAt: a.lastResolvedAt?.toISOString() ?? null,
    })),
  };
  return (
    <>
      <p>
        <Link href={`/projects/${slug}/consumers`}>← Consumers</Link>
      </p>
      <h1>
        <span className="mono">{consumer.name}</span> <span className="badge">{KIND_LABEL[consumer.kind]}</span>
      </h1>
      <p className="muted">
        Last resolved <When at={consumer.lastResolvedAt} />.
      </p>
      {canManage ? <ConsumerSettings slug={slug} consumer={view} /> : null}

      <section aria-labelledby="secrets-heading" className="section">
        <h2 id="secrets-heading">Secrets</h2>
        <AttachList slug={slug} consumer={view} canManage={canManage} />
      </section>

      <section aria-labelledby="templates-heading" className="section">
        <h2 id="templates-heading">{consumer.kind === "INTEGRATION_CREDENTIAL" ? "Headers and fields" : "Templates"}</h2>
        <TemplatesEditor slug={slug} consumer={view} canManage={canManage} />
      </section>

      <section aria-labelledby="environment-heading" className="section">
        <h2 id="environment-heading">Effective environment</h2>
        <p className="muted">What a run of {consumer.name} receives, by variable. Values are filled in only at run time, for an API token with secrets:inject.</p>
        {plan.entries.length === 0 ? (
          <p className="empty">Nothing yet: tick a secret or add a template.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Effective environment">
              <thead>
                <tr>
                  <th scope="col">Variable</th>
                  <th scope="col">Source</th>
                  <th scope="col">Conflicts</th>
                </tr>
              </thead>
              <tbody>
                {plan.entries.map((e) => (
                  <tr key={e.variable} data-testid={`env-${e.variable}`}>
                    <td className="mono">{e.variable}</td>
                    <td>
                      {"template" in e.from ? (
                        <>
                          template <code className="truncate" title={e.from.template}>{e.from.template}</code>
                        </>
                      ) : (
                        <>
                          attachment of <span className="mono">{e.from.secretName}</span>
                        </>
                      )}
                    </td>
                    <td>{conflicts.has(e.variable) ? <strong className="error">Set by {conflicts.get(e.variable)!.join(" and ")}; the template wins</strong> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
