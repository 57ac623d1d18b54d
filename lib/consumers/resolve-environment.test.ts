import { beforeAll, describe, expect, it } from "vitest";
import { tokenActor, type Actor } from "../auth/actor";
import { db } from "../db/client";
import { AppError } from "../errors";
import { createSecret } from "../secrets/create-secret";
import { deleteSecret } from "../secrets/delete-secret";
import { updateSecret } from "../secrets/update-secret";
import { createApiToken } from "../tokens/api-tokens";
import { auditRowsText, canaryValue, expectNoCanary } from "../../test/canary";
import { newTeam } from "../../test/fixtures";
import { attachSecret } from "./attach-secret";
import { createConsumer } from "./create-consumer";
import { detachSecret } from "./detach-secret";
import { secretConsumers } from "./secret-consumers";
import { unusedSecrets } from "./unused-secrets";
import { updateConsumer } from "./update-consumer";
import { resolveEnvironment } from "./resolve-environment";

type Team = Awaited<ReturnType<typeof newTeam>>;
const refusal = async (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "OK", message: "" }),
    (e) => {
      if (e instanceof AppError) return { code: e.code, message: e.message, details: e.details };
      throw e;
    },
  );
const asMap = (r: Awaited<ReturnType<typeof resolveEnvironment>>) => Object.fromEntries(r.variables.map((v) => [v.name, v.value]));

let team: Team;
let inject: Actor;
const secrets: Record<string, string> = {};

async function secret(name: string, value: string) {
  secrets[name] = (await createSecret(team.editor.actor, { projectSlug: team.slug, name, value })).id;
}

beforeAll(async () => {
  team = await newTeam();
  const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "runner", scopes: ["secrets:inject"] });
  inject = (await tokenActor(token))!;
  await secret("DB_PASSWORD", "p@ss:w/rd");
  await secret("OPENAI_API_KEY", "sk-openai-0123456789abcdef");
  await secret("GITHUB_TOKEN", "ghp_github-token-value");
  await secret("LOOKS_NESTED", "tok{{DB_PASSWORD}}en");
  await secret("UNICODE", "ключ🔑");
  await secret("NOT_ATTACHED", "not-for-this-consumer");
});

describe("resolving a consumer's environment", () => {
  it("a task template gets DATABASE_URL from a placeholder and an attached OPENAI_API_KEY", async () => {
    const c = await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "TASK_TEMPLATE",
      name: "nightly-report",
      templates: [{ variable: "DATABASE_URL", template: "postgres://app:{{DB_PASSWORD}}@db/app" }],
    });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "OPENAI_API_KEY" });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "DB_PASSWORD" });
    const env = await resolveEnvironment(inject, "nightly-report");
    expect(asMap(env)).toEqual({
      DATABASE_URL: "postgres://app:p@ss:w/rd@db/app",
      OPENAI_API_KEY: "sk-openai-0123456789abcdef",
      DB_PASSWORD: "p@ss:w/rd",
    });
    expect(env.conflicts).toEqual([]);
    const usage = await secretConsumers(team.viewer.actor, secrets.OPENAI_API_KEY);
    expect(usage).toEqual([{ consumer: { id: c.id, name: "nightly-report", kind: "TASK_TEMPLATE" }, variable: "OPENAI_API_KEY", attached: true, templateVariables: [], lastResolvedAt: expect.any(Date) }]);
  });

  it("renames with an alias; a template wins over an attachment and the clash is reported", async () => {
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "reviewer" });
    const attached = await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "GITHUB_TOKEN", alias: "GH_TOKEN" });
    expect(attached.attachments).toMatchObject([{ secretName: "GITHUB_TOKEN", variable: "GH_TOKEN", missing: false }]);
    expect(asMap(await resolveEnvironment(inject, "reviewer"))).toEqual({ GH_TOKEN: "ghp_github-token-value" });

    const updated = await updateConsumer(team.editor.actor, { id: c.id, templates: [{ variable: "GH_TOKEN", template: "token {{GITHUB_TOKEN}}" }] });
    expect(updated.conflicts).toEqual([{ variable: "GH_TOKEN", sources: ["secret GITHUB_TOKEN", "template"] }]);
    const env = await resolveEnvironment(inject, "reviewer");
    expect(asMap(env)).toEqual({ GH_TOKEN: "token ghp_github-token-value" });
    expect(env.conflicts).toEqual([{ variable: "GH_TOKEN", sources: ["secret GITHUB_TOKEN", "template"] }]);

    // Two attachments may not claim one variable.
    const clash = await refusal(attachSecret(team.editor.actor, { consumerId: c.id, secretName: "OPENAI_API_KEY", alias: "GH_TOKEN" }));
    expect(clash).toMatchObject({ code: "CONFLICT", message: "reviewer already gets GH_TOKEN from GITHUB_TOKEN" });
  });

  it("resolves escapes, whitespace, Unicode and nested-looking values, and never re-scans a value", async () => {
    const c = await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "INTEGRATION_CREDENTIAL",
      name: "github-integration",
      allowAllSecrets: true,
      templates: [
        { variable: "Authorization", template: "Bearer {{ GITHUB_TOKEN }}" },
        { variable: "X_LITERAL", template: "\\{{DB_PASSWORD}} stays" },
        { variable: "X_NESTED", template: "<{{LOOKS_NESTED}}>" },
        { variable: "X_UNICODE", template: "ключ={{UNICODE}}" },
      ],
    });
    expect(asMap(await resolveEnvironment(inject, c.name))).toEqual({
      Authorization: "Bearer ghp_github-token-value",
      X_LITERAL: "{{DB_PASSWORD}} stays",
      X_NESTED: "<tok{{DB_PASSWORD}}en>",
      X_UNICODE: "ключ=ключ🔑",
    });
  });

  it("refuses unknown and disallowed names, listing them, all or nothing", async () => {
    const c = await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "AGENT",
      name: "strict",
      templates: [{ variable: "A", template: "{{DB_PASSWORD}} {{NO_SUCH_SECRET}} {{NOT_ATTACHED}}" }],
    });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "DB_PASSWORD" });
    const before = await db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } });
    const r = await refusal(resolveEnvironment(inject, "strict"));
    expect(r.code).toBe("BAD_USER_INPUT");
    expect(r.message).toBe("Placeholders that cannot be resolved (unknown: NO_SUCH_SECRET; not attached to strict: NOT_ATTACHED)");
    expect(await db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } })).toBe(before);
  });

  it("refuses malformed templates when they are saved", async () => {
    const r = await refusal(createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "broken", templates: [{ variable: "A", template: "x {{DB_PASSWORD" }] }));
    expect(r.code).toBe("BAD_USER_INPUT");
    expect(r.message).toContain("Unclosed placeholder");
  });

  it("is for API tokens with secrets:inject only", async () => {
    await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "guarded" });
    expect((await refusal(resolveEnvironment(team.readToken.actor, "guarded"))).code).toBe("FORBIDDEN");
    expect((await refusal(resolveEnvironment(team.manageToken.actor, "guarded"))).code).toBe("FORBIDDEN");
    expect((await refusal(resolveEnvironment(team.admin.actor, "guarded"))).code).toBe("FORBIDDEN");
    expect((await refusal(resolveEnvironment(null, "guarded"))).code).toBe("UNAUTHENTICATED");
    const other = await newTeam();
    const { token } = await createApiToken(other.admin.actor, { projectSlug: other.slug, name: "x", scopes: ["secrets:inject"] });
    expect((await refusal(resolveEnvironment(await tokenActor(token), "guarded"))).code).toBe("NOT_FOUND");
  });

  it("writes one audit row per resolution naming token and consumer, and no value", async () => {
    const canary = canaryValue();
    await secret("CANARY_FOR_RESOLVE", canary);
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "audited" });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "CANARY_FOR_RESOLVE" });
    const count = () => db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } });
    const before = await count();
    const env = await resolveEnvironment(inject, "audited");
    await resolveEnvironment(inject, "audited");
    expect(asMap(env).CANARY_FOR_RESOLVE).toBe(canary);
    expect(await count()).toBe(before + 2);
    const row = await db().auditEvent.findFirstOrThrow({ where: { projectId: team.project.id, action: "environment.resolve" }, orderBy: { id: "desc" } });
    expect(row).toMatchObject({ actorTokenId: (inject as { tokenId: string }).tokenId, actorLabel: "token:runner" });
    expect(row.details).toMatchObject({ consumer: "audited", variables: ["CANARY_FOR_RESOLVE"] });
    expectNoCanary(canary, await auditRowsText());
  });

  it("fails, returning nothing, when the audit row cannot be written", async () => {
    await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "unauditable" });
    await db().$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_resolve_audit() RETURNS trigger AS $$
      BEGIN IF NEW.details->>'consumer' = 'unauditable' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_resolve_audit ON "AuditEvent"`);
    await db().$executeRawUnsafe(`CREATE TRIGGER refuse_resolve_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION refuse_resolve_audit()`);
    try {
      await expect(resolveEnvironment(inject, "unauditable")).rejects.toThrow();
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_resolve_audit ON "AuditEvent"`);
    }
  });

  it("picks up a rotation on the next resolution", async () => {
    await secret("ROTATING", "before-rotation");
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "rotation-watcher" });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "ROTATING" });
    const running = asMap(await resolveEnvironment(inject, "rotation-watcher"));
    await updateSecret(team.editor.actor, { id: secrets.ROTATING, value: "after-rotation" });
    expect(running.ROTATING).toBe("before-rotation"); // what a running workload already got
    expect(asMap(await resolveEnvironment(inject, "rotation-watcher")).ROTATING).toBe("after-rotation");
  });

  it("fails naming a deleted secret that a consumer still uses", async () => {
    await secret("SOON_DELETED", "v");
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "orphaned" });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "SOON_DELETED" });
    await deleteSecret(team.editor.actor, { id: secrets.SOON_DELETED, confirmName: "SOON_DELETED", force: true });
    const r = await refusal(resolveEnvironment(inject, "orphaned"));
    expect(r).toMatchObject({ code: "NOT_FOUND", message: "orphaned uses deleted secret(s): SOON_DELETED. Create them again or detach them." });
    const fixed = await detachSecret(team.editor.actor, { consumerId: c.id, secretName: "SOON_DELETED" });
    expect(fixed.attachments).toEqual([]);
    expect(asMap(await resolveEnvironment(inject, "orphaned"))).toEqual({});
  });

  it("lists secrets no consumer has resolved in N days", async () => {
    const t = await newTeam();
    const { token } = await createApiToken(t.admin.actor, { projectSlug: t.slug, name: "r", scopes: ["secrets:inject"] });
    const used = await createSecret(t.editor.actor, { projectSlug: t.slug, name: "USED", value: "v" });
    await createSecret(t.editor.actor, { projectSlug: t.slug, name: "IDLE", value: "v" });
    const stale = await createSecret(t.editor.actor, { projectSlug: t.slug, name: "STALE", value: "v" });
    const c = await createConsumer(t.editor.actor, { projectSlug: t.slug, kind: "AGENT", name: "a" });
    await attachSecret(t.editor.actor, { consumerId: c.id, secretName: "USED" });
    await attachSecret(t.editor.actor, { consumerId: c.id, secretName: "STALE" });
    await resolveEnvironment(await tokenActor(token), "a");
    await db().attachment.updateMany({ where: { secretId: stale.id }, data: { lastResolvedAt: new Date(Date.now() - 40 * 86_400_000) } });
    // The resolution's audit row (which names both) happened 40 days ago too.
    await db().auditEvent.updateMany({ where: { projectId: t.project.id, action: "environment.resolve" }, data: { createdAt: new Date(Date.now() - 40 * 86_400_000) } });
    expect((await unusedSecrets(t.viewer.actor, t.project.id, 30)).map((s) => s.name)).toEqual(["IDLE", "STALE"]);
    expect(used.name).toBe("USED");
  });
});
