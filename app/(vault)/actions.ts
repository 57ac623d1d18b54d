"use server";

import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { createProject } from "@/lib/projects/create-project";
import { attempt, type ActionResult } from "./action-result";

export async function createProjectAction(input: { slug: string; name: string }): Promise<ActionResult> {
  const result = await attempt(async () => createProject(await getActor(), { slug: input.slug, name: input.name }));
  if (result.ok) redirect(`/projects/${result.data!.slug}`);
  return { ok: false, error: result.error, field: result.field };
}
