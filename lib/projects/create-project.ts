import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { ROLE_PERMISSIONS } from "../authz";
import { db } from "../db/client";
import { AppError, notFound, unauthenticated } from "../errors";
import { emailSchema, parseInput, slugSchema } from "../validation";
import { toProjectDto } from "./get-project";

const input = z.object({
  slug: slugSchema,
  name: z.string({ error: "Project name is required" }).trim().min(1, "Project name is required").max(100, "Project name must be at most 100 characters"),
  // Only the operator (CLI) names an owner; a signed-in user owns what they create.
  ownerEmail: emailSchema.nullish(),
});

export async function createProject(actor: Actor | null, raw: z.input<typeof input>) {
  const data = parseInput(input, raw);
  if (!actor) throw unauthenticated();
  if (actor.kind === "token") throw new AppError("FORBIDDEN", "API tokens act within their own project and cannot create projects");
  let ownerId: string;
  if (actor.kind === "operator") {
    if (!data.ownerEmail) throw new AppError("BAD_USER_INPUT", "Name the project's owner (--owner EMAIL)", { field: "ownerEmail" });
    const owner = await db().user.findUnique({ where: { email: data.ownerEmail }, select: { id: true } });
    if (!owner) throw notFound(`User ${data.ownerEmail}`);
    ownerId = owner.id;
  } else {
    ownerId = actor.userId;
  }
  try {
    return await db().$transaction(async (tx) => {
      const project = await tx.project.create({
        data: { slug: data.slug, name: data.name, memberships: { create: { userId: ownerId, role: "ADMIN" } } },
        select: { id: true, slug: true, name: true, personal: true, envAllowlist: true },
      });
      await recordAudit(tx, actor, { action: "project.create", projectId: project.id, details: { slug: project.slug } });
      return toProjectDto({ project, role: "ADMIN", permissions: new Set(ROLE_PERMISSIONS.ADMIN) });
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", `A project with the slug ${data.slug} already exists`, { field: "slug" });
    }
    throw error;
  }
}
