import { getActor } from "@/lib/auth/get-actor";
import { listProjects } from "@/lib/projects/get-project";
import { countSecrets, listSecrets } from "@/lib/secrets/list-secrets";
import { SECRET_PRESETS } from "@/lib/secrets/presets";
import { storageLocations } from "@/lib/secrets/storage-locations";
import { metadataText, type SecretRowView } from "./_components/secret-types";
import { SecretsTable } from "./_components/secrets-table";
import { cloneTargets } from "./clone-targets";
import { currentProject } from "./current-project";

export const dynamic = "force-dynamic";
const PAGE = 50;

// The masked secrets table: one page of rows from the server (keyset pagination, server-side
// search), never all rows, never a value.
export default async function SecretsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ q?: string; after?: string; deleted?: string }>;
}) {
  const actor = await getActor();
  const { slug } = await params;
  const { q = "", after, deleted } = await searchParams;
  const project = await currentProject(slug);
  const [page, total, projects, locations] = await Promise.all([
    listSecrets(actor, { projectId: project.id, first: PAGE, after: after ?? null, search: q }),
    countSecrets(actor, project.id, q),
    listProjects(actor),
    storageLocations(actor, slug),
  ]);
  const rows: SecretRowView[] = page.nodes.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    type: s.type,
    metadata: metadataText(s.metadata),
    storage: s.storage,
    referencePath: s.referencePath,
    hint: s.hint,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    createdBy: s.createdBy?.email ?? null,
  }));
  return (
    <SecretsTable
      slug={slug}
      rows={rows}
      total={total}
      search={q}
      after={after ?? null}
      nextCursor={page.hasNextPage ? page.endCursor : null}
      canManage={project.viewerPermissions.includes("secrets:manage")}
      locations={locations.filter((l) => l.available).map((l) => ({ storage: l.storage, default: l.default }))}
      presets={SECRET_PRESETS.map((p) => ({ id: p.id, label: `${p.provider}: ${p.name}`, name: p.name }))}
      targets={cloneTargets(project, projects)}
      notice={deleted && /^[A-Z_][A-Z0-9_]*$/.test(deleted) ? `Deleted ${deleted}` : null}
    />
  );
}
