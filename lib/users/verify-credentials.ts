import "server-only";
import { burnPasswordCheck, verifyPassword } from "../auth/password";
import { db } from "../db/client";

// Returns the user when the email and password match, otherwise null; the same work either way.
export async function verifyCredentials(email: string, password: string) {
  const user = await db().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!user) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? { id: user.id, email: user.email } : null;
}

export async function countUsers() {
  return db().user.count();
}
