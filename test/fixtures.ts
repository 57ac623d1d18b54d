import { randomBytes } from "node:crypto";
import { tokenActor, userActor, OPERATOR, type Actor } from "../lib/auth/actor";
import { createProject } from "../lib/projects/create-project";
import { addMember } from "../lib/projects/members";
import { createApiToken } from "../lib/tokens/api-tokens";
import { createUser } from "../lib/users/create-user";

export const uniq = (prefix = "t") => `${prefix}-${randomBytes(5).toString("hex")}`;

export type UserActor = Extract<Actor, { kind: "user" }>;

export async function newUser(opts: { admin?: boolean } = {}) {
  const email = `${uniq("user")}@example.com`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const user = await createUser({ email, password, admin: opts.admin ?? false });
  const actor = (await userActor(user.id)) as UserActor;
  return { ...user, email, password, actor };
}

export async function tokenFor(projectSlug: string, scopes: string[], creator: Actor = OPERATOR) {
  const { token } = await createApiToken(creator, { projectSlug, name: uniq("token"), scopes });
  const actor = await tokenActor(token);
  if (!actor) throw new Error("fresh token did not authenticate");
  return { token, actor };
}

// A project with one member of each role, plus a read token and a manage token.
export async function newTeam() {
  const [admin, editor, viewer, outsider] = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
  const slug = uniq("proj");
  const project = await createProject(admin.actor, { slug, name: `Project ${slug}` });
  await addMember(admin.actor, { projectSlug: slug, email: editor.email, role: "editor" });
  await addMember(admin.actor, { projectSlug: slug, email: viewer.email, role: "viewer" });
  const readToken = await tokenFor(slug, ["secrets:read"], admin.actor);
  const manageToken = await tokenFor(slug, ["secrets:read", "secrets:manage"], admin.actor);
  return { slug, project, admin, editor, viewer, outsider, readToken, manageToken };
}
