import { getActor } from "@/lib/auth/get-actor";
import { listApiTokens } from "@/lib/tokens/api-tokens";
import { TokensManager } from "../_components/tokens-manager";

import { currentProject } from "../current-project";

export const dynamic = "force-dynamic";

export default async function TokensPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await getActor();
  const { slug } = await params;
  const project = await currentProject(slug);
  const tokens = await listApiTokens(actor, project.id);
  return (
    <>
      <h1>API tokens</h1>
      <TokensManager
        slug={slug}
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          scopes: t.scopes,
          expiresAt: t.expiresAt?.toISOString() ?? null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          createdBy: t.createdBy?.email ?? "operator",
        }))}
      />
    </>
  );
}
