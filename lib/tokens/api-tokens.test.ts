import { describe, expect, it } from "vitest";
import { tokenActor } from "../auth/actor";
import { db } from "../db/client";
import { AppError } from "../errors";
import { projectAccess } from "../projects/access";
import { setMemberRole } from "../projects/members";
import { newTeam } from "../../test/fixtures";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";

const codeOf = async (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof AppError ? e.code : String(e)));

describe("API tokens", () => {
  it("are shown once, stored only as a hash, and authenticate with their scopes", async () => {
    const team = await newTeam();
    const { token, apiToken } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "ci", scopes: ["secrets:read"] });
    expect(token).toMatch(/^vlt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(JSON.stringify(row)).not.toContain(token.split("_").pop());
    expect(JSON.stringify(await listApiTokens(team.admin.actor, team.project.id))).not.toContain(token);
    const actor = await tokenActor(token);
    expect(actor).toMatchObject({ kind: "token", projectId: team.project.id, scopes: ["secrets:read"] });
    expect([...(await projectAccess(actor, { slug: team.slug })).permissions]).toEqual(["secrets:read"]);
  });

  it("refuse a wrong secret, a malformed token, a revoked token and an expired token", async () => {
    const team = await newTeam();
    const { token, apiToken } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "x", scopes: ["secrets:read"] });
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    expect(await tokenActor(flipped)).toBeNull();
    expect(await tokenActor("vlt_nope")).toBeNull();
    expect(await tokenActor(token + "x")).toBeNull();
    await revokeApiToken(team.admin.actor, apiToken.id);
    expect(await tokenActor(token)).toBeNull();

    const soon = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "soon", scopes: ["secrets:read"], expiresAt: new Date(Date.now() + 60_000) });
    expect(await tokenActor(soon.token)).not.toBeNull();
    await db().apiToken.update({ where: { id: soon.apiToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await tokenActor(soon.token)).toBeNull();
    expect(await codeOf(createApiToken(team.admin.actor, { projectSlug: team.slug, name: "past", scopes: ["secrets:read"], expiresAt: new Date(Date.now() - 1) }))).toBe("BAD_USER_INPUT");
  });

  it("can never carry a scope its creator does not hold", async () => {
    const team = await newTeam();
    // Editors lack tokens:manage altogether; an admin may grant secrets:inject (held by no role).
    expect(await codeOf(createApiToken(team.editor.actor, { projectSlug: team.slug, name: "e", scopes: ["secrets:read"] }))).toBe("FORBIDDEN");
    expect(await codeOf(createApiToken(team.admin.actor, { projectSlug: team.slug, name: "inject", scopes: ["secrets:inject"] }))).toBe("OK");
    expect(await codeOf(createApiToken(team.admin.actor, { projectSlug: team.slug, name: "bad", scopes: ["secrets:everything"] }))).toBe("BAD_USER_INPUT");
  });

  it("shrink when their creator is demoted", async () => {
    const team = await newTeam();
    const second = await newTeam();
    await setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.editor.email, role: "admin" });
    const { token } = await createApiToken(team.editor.actor, { projectSlug: team.slug, name: "t", scopes: ["secrets:read", "secrets:manage"] });
    await setMemberRole(team.admin.actor, { projectSlug: team.slug, email: team.editor.email, role: "viewer" });
    const actor = await tokenActor(token);
    expect([...(await projectAccess(actor, { slug: team.slug })).permissions]).toEqual(["secrets:read"]);
    expect(await codeOf(projectAccess(actor, { slug: second.slug }))).toBe("NOT_FOUND");
  });
});
