import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashPassword } from "../auth/password";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError } from "../errors";
import { emailSchema, parseInput } from "../validation";

const input = z.object({
  email: emailSchema,
  password: z
    .string({ error: "Password is required" })
    .min(8, "Password must be at least 8 characters")
    .max(1024, "Password must be at most 1024 characters"),
  name: z.string().trim().max(200).optional(),
  admin: z.boolean().default(false),
});

// Called by the operator's CLI (no actor). Every user gets a "Personal" project, their own library.
export async function createUser(raw: z.input<typeof input>) {
  const { email, password, name, admin } = parseInput(input, raw);
  const passwordHash = await hashPassword(password);
  const localPart = email.split("@")[0].toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  const slug = `personal-${localPart || "user"}-${randomBytes(3).toString("hex")}`;
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, passwordHash, name: name || null, isAdmin: admin },
        select: { id: true, email: true, isAdmin: true },
      });
      const project = await tx.project.create({
        data: { slug, name: "Personal", personal: true, memberships: { create: { userId: user.id, role: "ADMIN" } } },
        select: { id: true, slug: true },
      });
      await recordAudit(tx, null, { action: "user.create", projectId: project.id, details: { email, admin } });
      return { ...user, personalProjectSlug: project.slug };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", `A user with the email ${email} already exists`);
    }
    throw error;
  }
}
