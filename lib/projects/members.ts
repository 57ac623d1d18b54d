import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan, ROLES } from "../authz";
import { db } from "../db/client";
import { AppError, notFound } from "../errors";
import { emailSchema, parseInput } from "../validation";
import { projectAccess } from "./access";

const roleSchema = z
  .string({ error: "Role is required" })
  .transform((r) => r.toUpperCase())
  .pipe(z.enum(ROLES, { error: "Role must be viewer, editor or admin" }));

const memberInput = z.object({ projectSlug: z.string().min(1, "Project is required"), email: emailSchema });

async function manageable(actor: Actor | null, slug: string) {
  const access = await projectAccess(actor, { slug });
  assertCan(access, "members:manage");
  if (access.project.personal) throw new AppError("BAD_USER_INPUT", "A personal project belongs to one person and cannot be shared");
  return access;
}

async function userByEmail(email: string) {
  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) throw notFound(`User ${email}`);
  return user;
}

// A project always keeps at least one admin.
async function assertNotLastAdmin(projectId: string, userId: string) {
  const admins = await db().membership.findMany({ where: { projectId, role: "ADMIN" }, select: { userId: true } });
  if (admins.length === 1 && admins[0].userId === userId) {
    throw new AppError("CONFLICT", "A project needs at least one admin: make someone else admin first");
  }
}

export async function addMember(actor: Actor | null, raw: z.input<typeof memberInput> & { role: string }) {
  const data = parseInput(memberInput.extend({ role: roleSchema }), raw);
  const access = await manageable(actor, data.projectSlug);
  const user = await userByEmail(data.email);
  try {
    return await db().$transaction(async (tx) => {
      const membership = await tx.membership.create({
        data: { projectId: access.project.id, userId: user.id, role: data.role },
        select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true } } },
      });
      await recordAudit(tx, actor, { action: "member.add", projectId: access.project.id, details: { email: user.email, role: data.role } });
      return membership;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new AppError("CONFLICT", `${user.email} is already a member of this project`);
    throw error;
  }
}

export async function setMemberRole(actor: Actor | null, raw: z.input<typeof memberInput> & { role: string }) {
  const data = parseInput(memberInput.extend({ role: roleSchema }), raw);
  const access = await manageable(actor, data.projectSlug);
  const user = await userByEmail(data.email);
  if (data.role !== "ADMIN") await assertNotLastAdmin(access.project.id, user.id);
  return db().$transaction(async (tx) => {
    const { count } = await tx.membership.updateMany({ where: { projectId: access.project.id, userId: user.id }, data: { role: data.role } });
    if (count === 0) throw notFound("Member");
    await recordAudit(tx, actor, { action: "member.role", projectId: access.project.id, details: { email: user.email, role: data.role } });
    return tx.membership.findUniqueOrThrow({
      where: { projectId_userId: { projectId: access.project.id, userId: user.id } },
      select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true } } },
    });
  });
}

export async function removeMember(actor: Actor | null, raw: z.input<typeof memberInput>) {
  const data = parseInput(memberInput, raw);
  const access = await manageable(actor, data.projectSlug);
  const user = await userByEmail(data.email);
  await assertNotLastAdmin(access.project.id, user.id);
  return db().$transaction(async (tx) => {
    const { count } = await tx.membership.deleteMany({ where: { projectId: access.project.id, userId: user.id } });
    if (count === 0) throw notFound("Member");
    await recordAudit(tx, actor, { action: "member.remove", projectId: access.project.id, details: { email: user.email } });
    return true;
  });
}

export async function listMembers(actor: Actor | null, projectId: string) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  return db().membership.findMany({
    where: { projectId: access.project.id },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true } } },
    orderBy: { user: { email: "asc" } },
  });
}
