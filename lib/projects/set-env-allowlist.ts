import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError, notFound, unauthenticated } from "../errors";
import { allowlistEntryProblem } from "../storage/env-vars";
import { parseInput } from "../validation";

const input = z.object({
  projectSlug: z.string({ error: "Project is required" }).min(1, "Project is required"),
  entries: z
    .array(z.string().trim())
    .max(100, "At most 100 entries")
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        const problem = allowlistEntryProblem(entry);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }
    }),
});

// Which server environment variables a project's ENV secrets may use. Only the operator (the CLI
// next to the server) sets it: anyone who can inject in the project can read these variables, so
// no project member, admin included, can widen it. An empty list turns ENV storage off there, and
// secrets already pointing at a removed variable stop resolving.
export async function setEnvAllowlist(actor: Actor | null, raw: z.input<typeof input>) {
  if (!actor) throw unauthenticated();
  if (actor.kind !== "operator") throw new AppError("FORBIDDEN", "Only the vault operator (npm run vault -- project env-allow) sets which server variables a project may use");
  const data = parseInput(input, raw);
  const entries = [...new Set(data.entries)].sort();
  return db().$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { slug: data.projectSlug }, select: { id: true } });
    if (!project) throw notFound("Project");
    const updated = await tx.project.update({ where: { id: project.id }, data: { envAllowlist: entries }, select: { slug: true, envAllowlist: true } });
    await recordAudit(tx, actor, { action: "project.env_allowlist", projectId: project.id, details: { entries } });
    return updated;
  });
}
