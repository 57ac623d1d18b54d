import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCan, ROLE_PERMISSIONS, ROLES, type ProjectAccess, type RoleName } from "../authz";
import { db, type Tx } from "../db/client";
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
  // An unknown email answers like a known one that is not a member: no account enumeration.
  if (!user) throw notFound("Member");
  return user;
}

// An unknown email and a known one that cannot be added get the same answer, so adding members
// cannot be used to find out who has an account on this vault.
const cannotAdd = (email: string) =>
  new AppError("BAD_USER_INPUT", `${email} cannot be added: there is no account with this email, or it is already a member of this project`, { field: "email" });

// A token may give a member only a role whose permissions it holds itself.
function assertRoleWithinActor(actor: Actor | null, access: ProjectAccess, role: RoleName) {
  if (actor?.kind !== "token") return;
  const beyond = ROLE_PERMISSIONS[role].filter((p) => !access.permissions.has(p));
  if (beyond.length) throw new AppError("FORBIDDEN", `A token cannot grant a role with permissions it does not hold: ${beyond.join(", ")}`);
}

// A project always keeps at least one admin. Checked inside the change's transaction with the
// project row locked, so two admins demoting each other at once cannot both succeed.
async function assertNotLastAdmin(tx: Tx, projectId: string, userId: string) {
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId}::uuid FOR UPDATE`;
  const others = await tx.membership.count({ where: { projectId, role: "ADMIN", userId: { not: userId } } });
  if (others === 0) throw new AppError("CONFLICT", "A project needs at least one admin: make someone else admin first");
}

export async function addMember(actor: Actor | null, raw: z.input<typeof memberInput> & { role: string }) {
  const data = parseInput(memberInput.extend({ role: roleSchema }), raw);
  const access = await manageable(actor, data.projectSlug);
  assertRoleWithinActor(actor, access, data.role);
  const user = await db().user.findUnique({ where: { email: data.email }, select: { id: true, email: true } });
  if (!user) throw cannotAdd(data.email);
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
    if ((error as { code?: string }).code === "P2002") throw cannotAdd(data.email);
    throw error;
  }
}

export async function setMemberRole(actor: Actor | null, raw: z.input<typeof memberInput> & { role: string }) {
  const data = parseInput(memberInput.extend({ role: roleSchema }), raw);
  const access = await manageable(actor, data.projectSlug);
  assertRoleWithinActor(actor, access, data.role);
  const user = await userByEmail(data.email);
  return db().$transaction(async (tx) => {
    if (data.role !== "ADMIN") await assertNotLastAdmin(tx, access.project.id, user.id);
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
  return db().$transaction(async (tx) => {
    await assertNotLastAdmin(tx, access.project.id, user.id);
    const { count } = await tx.membership.deleteMany({ where: { projectId: access.project.id, userId: user.id } });
    if (count === 0) throw notFound("Member");
    await recordAudit(tx, actor, { action: "member.remove", projectId: access.project.id, details: { email: user.email } });
    return true;
  });
}

// By email; `page` (GraphQL) takes at most `first` after the member whose email is `after`, none
// (dashboard) takes all.
export async function listMembers(actor: Actor | null, projectId: string, page?: { first: number; after?: string | null }) {
  const access = await projectAccess(actor, { id: projectId });
  assertCan(access, "secrets:read");
  return db().membership.findMany({
    where: { projectId: access.project.id, ...(page?.after ? { user: { email: { gt: page.after } } } : {}) },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true } } },
    orderBy: { user: { email: "asc" } },
    take: page ? Math.max(1, Math.min(page.first, 200)) : undefined,
  });
}
