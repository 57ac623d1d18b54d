// Attacks on who holds what: a token minting tokens (children that outlive a revoked parent), a
// token granting a role above its own scopes, two admins demoting each other at once to leave a
// project with no admin, and addMember used to find out which emails have accounts.
import { describe, expect, it } from "vitest";
import { tokenActor } from "../auth/actor";
import { db } from "../db/client";
import { createApiToken } from "../tokens/api-tokens";
import { newTeam, newUser } from "../../test/fixtures";
import { refusal } from "../../test/refusal";
import { addMember, removeMember, setMemberRole } from "./members";

describe("tokens", () => {
  it("a token cannot mint a token, whatever its scopes, and nothing is created", async () => {
    const team = await newTeam();
    const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "minter", scopes: ["tokens:manage", "secrets:read", "secrets:inject"] });
    const minter = (await tokenActor(token))!;
    for (const scopes of [["secrets:read"], ["secrets:inject"], ["tokens:manage"]]) {
      const r = await refusal(createApiToken(minter, { projectSlug: team.slug, name: "child", scopes }));
      expect(r).toEqual({ code: "FORBIDDEN", message: "An API token cannot create API tokens: sign in to the dashboard or use the operator CLI" });
    }
    expect(await db().apiToken.count({ where: { projectId: team.project.id, name: "child" } })).toBe(0);
  });

  it("a token with members:manage grants only roles within its own scopes", async () => {
    const team = await newTeam();
    const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "hr", scopes: ["members:manage", "secrets:read"] });
    const hr = (await tokenActor(token))!;
    const [a, b] = await Promise.all([newUser(), newUser()]);
    expect((await refusal(addMember(hr, { projectSlug: team.slug, email: a.email, role: "admin" }))).code).toBe("FORBIDDEN");
    expect((await refusal(addMember(hr, { projectSlug: team.slug, email: a.email, role: "editor" }))).message).toContain("secrets:manage");
    expect(await db().membership.count({ where: { projectId: team.project.id, userId: a.id } })).toBe(0);
    expect((await refusal(addMember(hr, { projectSlug: team.slug, email: b.email, role: "viewer" }))).code).toBe("OK");
    expect((await refusal(setMemberRole(hr, { projectSlug: team.slug, email: b.email, role: "admin" }))).code).toBe("FORBIDDEN");
    expect((await db().membership.findFirstOrThrow({ where: { projectId: team.project.id, userId: b.id } })).role).toBe("VIEWER");
  });
});

describe("members", () => {
  it("two admins demoting each other at once leave the project one admin", async () => {
    for (let round = 0; round < 5; round++) {
      const team = await newTeam();
      await setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.editor.email, role: "admin" });
      const results = await Promise.all([
        refusal(setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.editor.email, role: "viewer" })),
        refusal(setMemberRole(team.editor.actor, { projectSlug: team.slug, email: team.admin.email, role: "viewer" })),
      ]);
      expect(results.map((r) => r.code).sort()).toEqual(["CONFLICT", "OK"]);
      expect(await db().membership.count({ where: { projectId: team.project.id, role: "ADMIN" } })).toBe(1);
    }
  });

  it("two admins removing each other at once leave the project one admin", async () => {
    const team = await newTeam();
    await setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.editor.email, role: "admin" });
    const results = await Promise.all([
      refusal(removeMember(team.admin.actor, { projectSlug: team.slug, email: team.editor.email })),
      refusal(removeMember(team.editor.actor, { projectSlug: team.slug, email: team.admin.email })),
    ]);
    expect(results.map((r) => r.code).sort()).toEqual(["CONFLICT", "OK"]);
    expect(await db().membership.count({ where: { projectId: team.project.id, role: "ADMIN" } })).toBe(1);
  });

  it("addMember answers an unknown email exactly like a known one that cannot be added", async () => {
    const team = await newTeam();
    const unknown = await refusal(addMember(team.admin.actor, { projectSlug: team.slug, email: "nobody-here@example.com", role: "viewer" }));
    const member = await refusal(addMember(team.admin.actor, { projectSlug: team.slug, email: team.viewer.email, role: "viewer" }));
    const mask = (r: { code: string; message: string }, email: string) => ({ ...r, message: r.message.replace(email, "<email>") });
    expect(mask(unknown, "nobody-here@example.com")).toEqual(mask(member, team.viewer.email));
    expect(unknown.code).toBe("BAD_USER_INPUT");
    // Role changes and removals answer the same "Member not found" for unknown and non-member emails.
    const outsider = await refusal(setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.outsider.email, role: "viewer" }));
    const nobody = await refusal(setMemberRole(team.admin.actor, { projectSlug: team.slug, email: "nobody-here@example.com", role: "viewer" }));
    expect(outsider).toEqual(nobody);
    expect(await refusal(removeMember(team.admin.actor, { projectSlug: team.slug, email: team.outsider.email }))).toEqual(
      await refusal(removeMember(team.admin.actor, { projectSlug: team.slug, email: "nobody-here@example.com" })),
    );
  });
});
