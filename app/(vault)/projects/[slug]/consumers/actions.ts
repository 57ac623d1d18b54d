"use server";

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/get-actor";
import { attachSecret } from "@/lib/consumers/attach-secret";
import { checkConsumerTemplates, type CheckTemplatesInput } from "@/lib/consumers/check-templates";
import { createConsumer, type CreateConsumerInput } from "@/lib/consumers/create-consumer";
import { deleteConsumer } from "@/lib/consumers/delete-consumer";
import { detachSecret } from "@/lib/consumers/detach-secret";
import { updateConsumer, type UpdateConsumerInput } from "@/lib/consumers/update-consumer";
import { getProject } from "@/lib/projects/get-project";
import { listSecrets } from "@/lib/secrets/list-secrets";
import { attempt } from "../../../action-result";

// The consumer editor's calls: the same services as GraphQL, with the signed-in actor; the services
// check permissions. Answers carry names and messages, never a value.

const refresh = (slug: string) => revalidatePath(`/projects/${slug}`, "layout");

export async function createConsumerAction(slug: string, input: Omit<CreateConsumerInput, "projectSlug">) {
  const result = await attempt(async () => {
    const c = await createConsumer(await getActor(), { ...input, projectSlug: slug });
    return { id: c.id, name: c.name };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function updateConsumerAction(slug: string, input: UpdateConsumerInput) {
  const result = await attempt(async () => {
    const c = await updateConsumer(await getActor(), input);
    return { name: c.name };
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteConsumerAction(slug: string, id: string) {
  const result = await attempt(async () => (await deleteConsumer(await getActor(), id)).name);
  if (result.ok) refresh(slug);
  return result;
}

export async function attachSecretAction(slug: string, input: { consumerId: string; secretName: string; alias: string | null }) {
  const result = await attempt(async () => {
    await attachSecret(await getActor(), input);
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function detachSecretAction(slug: string, input: { consumerId: string; secretName: string }) {
  const result = await attempt(async () => {
    await detachSecret(await getActor(), input);
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function checkTemplatesAction(input: CheckTemplatesInput) {
  return attempt(async () => checkConsumerTemplates(await getActor(), input));
}

// The attach list: one page of names matching the search, read on the server (never every secret).
export async function searchSecretsAction(slug: string, search: string) {
  return attempt(async () => {
    const actor = await getActor();
    const project = await getProject(actor, slug);
    if (!project) return { names: [], more: false };
    const page = await listSecrets(actor, { projectId: project.id, first: 20, search });
    return { names: page.nodes.map((s) => ({ name: s.name, description: s.description })), more: page.hasNextPage };
  });
}
