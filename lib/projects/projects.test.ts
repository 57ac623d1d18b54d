import { describe, expect, it } from "vitest";
import { OPERATOR } from "../auth/actor";
import { db } from "../db/client";
import { AppError } from "../errors";
import { newTeam, newUser, uniq } from "../../test/fixtures";
import { listProjectsFor, projectAccess } from "./access";
import { createProject } from "./create-project";
import { addMember, removeMember, setMemberRole } from "./members";

const codeOf = async (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof AppError ? `${e.code}: ${e.message}` : String(e)));

describe("projects and members", () => {
  it("every user gets a Personal project that cannot be shared", async () => {
    const u = await newUser();
    const other = await newUser();
    const projects = await listProjectsFor(u.actor);
    expect(projects).toHaveLength(1);
    expect(projects[0]).toMatchObject({ name: "Personal", personal: true, role: "ADMIN", slug: u.personalProjectSlug });
    expect(await codeOf(addMember(u.actor, { projectSlug: u.personalProjectSlug, email: other.email, role: "viewer" }))).toContain("cannot be shared");
  });

  it("creating a project makes the creator its admin; slugs are unique and validated", async () => {
    const u = await newUser();
    const slug = uniq("team");
    await createProject(u.actor, { slug, name: "Team" });
    expect((await projectAccess(u.actor, { slug })).role).toBe("ADMIN");
    expect(await codeOf(createProject(u.actor, { slug, name: "Again" }))).toBe(`CONFLICT: A project with the slug ${slug} already exists`);
    expect(await codeOf(createProject(u.actor, { slug: "Bad Slug", name: "x" }))).toContain("BAD_USER_INPUT");
    expect(await codeOf(createProject(OPERATOR, { slug: uniq("op"), name: "x" }))).toContain("--owner");
  });

  it("members are added by email with a role, changed, and removed; a project keeps one admin", async () => {
    const team = await newTeam();
    const u = await newUser();
    expect(await codeOf(addMember(team.admin.actor, { projectSlug: team.slug, email: u.email, role: "owner" }))).toContain("Role must be viewer, editor or admin");
    expect(await codeOf(addMember(team.admin.actor, { projectSlug: team.slug, email: "nobody@example.com", role: "viewer" }))).toContain("BAD_USER_INPUT");
    await addMember(team.admin.actor, { projectSlug: team.slug, email: u.email.toUpperCase(), role: "Viewer" });
    expect((await projectAccess(u.actor, { slug: team.slug })).role).toBe("VIEWER");
    expect(await codeOf(addMember(team.admin.actor, { projectSlug: team.slug, email: u.email, role: "viewer" }))).toContain("BAD_USER_INPUT");
    await setMemberRole(team.admin.actor, { projectSlug: team.slug, email: u.email, role: "editor" });
    expect((await projectAccess(u.actor, { slug: team.slug })).role).toBe("EDITOR");
    expect(await codeOf(removeMember(team.admin.actor, { projectSlug: team.slug, email: team.admin.email }))).toContain("at least one admin");
    expect(await codeOf(setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.admin.email, role: "viewer" }))).toContain("at least one admin");
    await removeMember(team.admin.actor, { projectSlug: team.slug, email: u.email });
    // A removed member loses access on the very next request: access is read from the database.
    expect(await codeOf(projectAccess(u.actor, { slug: team.slug }))).toBe("NOT_FOUND: Project not found");
    const actions = (await db().auditEvent.findMany({ where: { projectId: team.project.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["project.create", "member.add", "member.role", "member.remove", "token.create"]));
  });
});
