import { randomBytes } from "node:crypto";
import { userActor, type Actor } from "../lib/auth/actor";
import { createUser } from "../lib/users/create-user";

export const uniq = (prefix = "t") => `${prefix}-${randomBytes(5).toString("hex")}`;

export async function newUser(opts: { admin?: boolean } = {}) {
  const email = `${uniq("user")}@example.com`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const user = await createUser({ email, password, admin: opts.admin ?? false });
  const actor = (await userActor(user.id)) as Extract<Actor, { kind: "user" }>;
  return { ...user, email, password, actor };
}
