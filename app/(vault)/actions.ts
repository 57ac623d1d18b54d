"use server";

import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { createProject } from "@/lib/projects/create-project";
import { attempt, type ActionResult } from "./action-result";

export async function createProjectAction(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const result = await attempt(async () =>
    createProject(await getActor(), { slug: String(form.get("slug") ?? ""), name: String(form.get("name") ?? "") }),
  );
  if (result.ok) redirect(`/projects/${result.data!.slug}`);
  return { ok: false, error: result.error, field: result.field };
}
