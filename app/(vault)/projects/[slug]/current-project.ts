import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getActor } from "@/lib/auth/get-actor";
import { getProject } from "@/lib/projects/get-project";

// The project a page is about, resolved once per request for the layout and the page together.
export const currentProject = cache(async (slug: string) => {
  const project = await getProject(await getActor(), slug);
  if (!project) notFound();
  return project;
});
