import "server-only";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "../auth/password";
import { db } from "../db/client";

// Longer passwords cannot have been set (createUser's limit): refused without hashing them.
const MAX_PASSWORD_LENGTH = 1024;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

// Returns the user when the email and password match, otherwise null; the same work either way.
// Callers go through signInWithPassword (sign-in.ts), which rate-limits before this runs.
export async function verifyCredentials(email: string, password: string) {
  if (password.length > MAX_PASSWORD_LENGTH) return null;
  const user = await db().user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  if (needsRehash(user.passwordHash)) {
    // A hash from weaker parameters is replaced while the password is at hand. Conditional on the
    // old hash, so a password changed meanwhile is never overwritten.
    await db().user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash },
      data: { passwordHash: await hashPassword(password) },
    });
  }
  return { id: user.id, email: user.email };
}

export async function countUsers() {
  return db().user.count();
}
