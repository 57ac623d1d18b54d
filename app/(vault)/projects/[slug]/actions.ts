"use server";

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/get-actor";
import { secretConsumers } from "@/lib/consumers/secret-consumers";
import { getProject } from "@/lib/projects/get-project";
import { addMember, removeMember, setMemberRole } from "@/lib/projects/members";
import { cloneSecret, cloneSecrets } from "@/lib/secrets/clone-secrets";
import { createSecret, type CreateSecretInput } from "@/lib/secrets/create-secret";
import { deleteSecret } from "@/lib/secrets/delete-secret";
import { listSecrets, listSecretVersions } from "@/lib/secrets/list-secrets";
import { updateSecret, type UpdateSecretInput } from "@/lib/secrets/update-secret";
import { createApiToken, revokeApiToken } from "@/lib/tokens/api-tokens";
import { attempt } from "../../action-result";

// The dashboard's writes. Each calls the same service as GraphQL, with the signed-in actor; the
// service checks permissions. Answers carry names, hints and messages, never a value.

const refresh = (slug: string) => revalidatePath(`/projects/${slug}`, "layout");

export async function createSecretAction(slug: string, input: Omit<CreateSecretInput, "projectSlug">) {
  const result = await attempt(async () => {
    const s = await createSecret(await getActor(), { ...input, projectSlug: slug });
    return { name: s.name, hint: s.hint };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function updateSecretAction(slug: string, input: UpdateSecretInput) {
  const result = await attempt(async () => {
    const s = await updateSecret(await getActor(), input);
    return { name: s.name, version: s.version };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteSecretAction(slug: string, input: { id: string; confirmName: string; force: boolean }) {
  const result = await attempt(async () => (await deleteSecret(await getActor(), input)).name);
  if (result.ok) refresh(slug);
  return result;
}

// Bulk delete from the Unused secrets view: each secret goes through deleteSecret with its name as
// confirmation, forced only where the dialog showed the consumers it breaks.
export async function deleteSecretsAction(slug: string, items: { id: string; name: string; force: boolean }[]) {
  const actor = await getActor();
  const results: { name: string; ok: boolean; error?: string }[] = [];
  for (const item of items.slice(0, 200)) {
    const r = await attempt(() => deleteSecret(actor, { id: item.id, confirmName: item.name, force: item.force }));
    results.push(r.ok ? { name: item.name, ok: true } : { name: item.name, ok: false, error: r.error });
  }
  if (results.some((r) => r.ok)) refresh(slug);
  return results;
}

export async function secretDetailsAction(secretId: string) {
  return attempt(async () => {
    const actor = await getActor();
    const [versions, consumers] = await Promise.all([listSecretVersions(actor, secretId), secretConsumers(actor, secretId)]);
    return {
      versions: versions.map((v) => ({ version: v.version, storage: v.storage, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy?.email ?? null })),
      consumers: consumers.map((c) => ({
        name: c.consumer.name,
        kind: c.consumer.kind,
        variable: c.variable,
        attached: c.attached,
        templateVariables: c.templateVariables,
        lastResolvedAt: c.lastResolvedAt?.toISOString() ?? null,
      })),
    };
  });
}

export async function cloneSecretAction(slug: string, input: { id: string; targetProjectSlug: string; overwrite: boolean }) {
  const result = await attempt(async () => {
    const s = await cloneSecret(await getActor(), input);
    return { name: s.name, version: s.version };
  });
  if (result.ok) {
    refresh(slug);
    refresh(input.targetProjectSlug);
  }
  return result;
}

// Clone many: the selected names, or every secret matching the search (read here, server side).
export async function cloneManyAction(
  slug: string,
  input: { targetProjectSlug: string; names: string[] | null; search: string | null; overwrite: boolean; dryRun: boolean },
) {
  const result = await attempt(async () => {
    const actor = await getActor();
    let names = input.names;
    if (!names && input.search) {
      names = [];
        const project = await getProject(actor, slug);
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listSecrets>> = await listSecrets(actor, { projectId: project!.id, first: 200, after, search: input.search });
        names.push(...page.nodes.map((n) => n.name));
        after = page.hasNextPage ? page.endCursor : null;
      } while (after);
    }
    return cloneSecrets(actor, {
      sourceProjectSlug: slug,
      targetProjectSlug: input.targetProjectSlug,
      ...(names ? { names } : { all: true }),
      overwrite: input.overwrite,
      dryRun: input.dryRun,
    });
  });
  if (result.ok && result.data?.applied) refresh(input.targetProjectSlug);
  return result;
}

export async function addMemberAction(slug: string, input: { email: string; role: string }) {
  const result = await attempt(async () => {
    await addMember(await getActor(), { projectSlug: slug, email: input.email, role: input.role });
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function setMemberRoleAction(slug: string, email: string, role: string) {
  const result = await attempt(async () => {
    await setMemberRole(await getActor(), { projectSlug: slug, email, role });
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function removeMemberAction(slug: string, email: string) {
  const result = await attempt(async () => {
    await removeMember(await getActor(), { projectSlug: slug, email });
  });
  if (result.ok) refresh(slug);
  return result;
}

// The new token is in this answer only (shown once by the dialog).
export async function createTokenAction(slug: string, input: { name: string; scopes: string[]; expiresAt: string | null }) {
  const result = await attempt(async () => {
    const { token } = await createApiToken(await getActor(), {
      projectSlug: slug,
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    return token;
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function revokeTokenAction(slug: string, id: string) {
  const result = await attempt(async () => {
    await revokeApiToken(await getActor(), id);
  });
  if (result.ok) refresh(slug);
  return result;
}
