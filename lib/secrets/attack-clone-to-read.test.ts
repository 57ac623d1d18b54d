// Attack: an editor (secrets:manage, no way to read values) copies a project's secrets somewhere
// she can inject (her Personal project, a project she administers), mints a secrets:inject token
// there and resolves them. Same class: pointing an ENV secret at a server variable allowed for
// another project. Each defence below is what stops one step of it.
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, tokenActor } from "../auth/actor";
import { db } from "../db/client";
import { attachSecret } from "../consumers/attach-secret";
import { createConsumer } from "../consumers/create-consumer";
import { resolveEnvironment } from "../consumers/resolve-environment";
import { createProject } from "../projects/create-project";
import { addMember } from "../projects/members";
import { setEnvAllowlist } from "../projects/set-env-allowlist";
import { createApiToken } from "../tokens/api-tokens";
import { newTeam, uniq } from "../../test/fixtures";
import { refusal } from "../../test/refusal";
import { cloneSecret, cloneSecrets } from "./clone-secrets";
import { createSecret } from "./create-secret";
import { updateSecret } from "./update-secret";

type Team = Awaited<ReturnType<typeof newTeam>>;
let team: Team;
let personalSlug: string;

beforeAll(async () => {
  team = await newTeam();
  await createSecret(team.admin.actor, { projectSlug: team.slug, name: "PROD_DB_PASSWORD", value: "prod-password-0123456789" });
  await createSecret(team.admin.actor, { projectSlug: team.slug, name: "STRIPE_KEY", value: "sk_live_0123456789abcdef" });
  const personal = await db().project.findFirstOrThrow({ where: { personal: true, memberships: { some: { userId: team.editor.id } } }, select: { slug: true } });
  personalSlug = personal.slug;
});

describe("clone: the caller's role in the target may not be above their role in the source", () => {
  it("refuses an editor's clone of everything into her Personal project, naming why, and writes nothing there", async () => {
    const r = await refusal(cloneSecrets(team.editor.actor, { sourceProjectSlug: team.slug, targetProjectSlug: personalSlug, all: true }));
    expect(r.code).toBe("FORBIDDEN");
    expect(r.message).toContain(`an editor of ${team.slug} but an admin of ${personalSlug}`);
    expect(r.details).toMatchObject({ reason: "ROLE_ABOVE_SOURCE" });
    expect(await db().secret.count({ where: { project: { slug: personalSlug } } })).toBe(0);
    // The dry run is refused the same way: it would tell her nothing she may act on.
    expect((await refusal(cloneSecrets(team.editor.actor, { sourceProjectSlug: team.slug, targetProjectSlug: personalSlug, all: true, dryRun: true }))).code).toBe("FORBIDDEN");
  });

  it("leaves the rest of the attack with nothing to resolve", async () => {
    // She can mint an inject token in her Personal project (she administers it) and build a consumer…
    const { token } = await createApiToken(team.editor.actor, { projectSlug: personalSlug, name: uniq("steal"), scopes: ["secrets:inject"] });
    const consumer = await createConsumer(team.editor.actor, { projectSlug: personalSlug, kind: "AGENT", name: uniq("thief"), templates: [{ variable: "LOOT", template: "{{PROD_DB_PASSWORD}}" }], allowAllSecrets: true });
    expect((await refusal(attachSecret(team.editor.actor, { consumerId: consumer.id, secretName: "PROD_DB_PASSWORD" }))).code).toBe("NOT_FOUND");
    // …but the value never arrived there, so the resolution has nothing to give.
    const r = await refusal(resolveEnvironment((await tokenActor(token))!, consumer.name));
    expect(r.code).toBe("BAD_USER_INPUT");
    expect(r.message).toContain("unknown: PROD_DB_PASSWORD");
  });

  it("refuses one secret cloned into a shared project she administers", async () => {
    const own = uniq("own");
    await createProject(team.editor.actor, { slug: own, name: own });
    const s = await db().secret.findFirstOrThrow({ where: { projectId: team.project.id, name: "STRIPE_KEY" }, select: { id: true } });
    expect((await refusal(cloneSecret(team.editor.actor, { id: s.id, targetProjectSlug: own }))).code).toBe("FORBIDDEN");
    expect((await refusal(cloneSecrets(team.editor.actor, { sourceProjectSlug: team.slug, targetProjectSlug: own, names: ["STRIPE_KEY"] }))).code).toBe("FORBIDDEN");
    expect(await db().secret.count({ where: { project: { slug: own } } })).toBe(0);
  });

  it("lets an editor clone into another project where she is an editor, recorded in both audit trails", async () => {
    const other = await newTeam();
    await addMember(other.admin.actor, { projectSlug: other.slug, email: team.editor.email, role: "editor" });
    const r = await cloneSecrets(team.editor.actor, { sourceProjectSlug: team.slug, targetProjectSlug: other.slug, all: true });
    expect(r.applied).toBe(true);
    const out = await db().auditEvent.findFirstOrThrow({ where: { projectId: team.project.id, action: "secrets.clone_out" }, orderBy: { id: "desc" } });
    expect(out).toMatchObject({ actorUserId: team.editor.id, details: { to: other.slug, names: ["PROD_DB_PASSWORD", "STRIPE_KEY"] } });
    const into = await db().auditEvent.findMany({ where: { projectId: other.project.id, action: "secret.clone" } });
    expect(into.map((e) => [e.actorUserId, e.secretName, (e.details as { from: string }).from]).sort()).toEqual([
      [team.editor.id, "PROD_DB_PASSWORD", team.slug],
      [team.editor.id, "STRIPE_KEY", team.slug],
    ]);
  });

  it("lets an admin of the source clone into any project she manages, as editor or admin there", async () => {
    const other = await newTeam();
    await addMember(other.admin.actor, { projectSlug: other.slug, email: team.admin.email, role: "editor" });
    expect((await cloneSecrets(team.admin.actor, { sourceProjectSlug: team.slug, targetProjectSlug: other.slug, names: ["STRIPE_KEY"] })).applied).toBe(true);
    const adminPersonal = await db().project.findFirstOrThrow({ where: { personal: true, memberships: { some: { userId: team.admin.id } } }, select: { slug: true } });
    expect((await cloneSecrets(team.admin.actor, { sourceProjectSlug: team.slug, targetProjectSlug: adminPersonal.slug, names: ["STRIPE_KEY"] })).applied).toBe(true);
  });

  it("still needs secrets:manage on both sides", async () => {
    const other = await newTeam();
    await addMember(other.admin.actor, { projectSlug: other.slug, email: team.viewer.email, role: "editor" });
    expect((await refusal(cloneSecrets(team.viewer.actor, { sourceProjectSlug: team.slug, targetProjectSlug: other.slug, all: true }))).code).toBe("FORBIDDEN");
  });
});

describe("ENV storage: server variables are allowed per project, by the operator only", () => {
  let allowed: Team;
  beforeAll(async () => {
    allowed = await newTeam();
    process.env.ATTACK_PLATFORM_TOKEN = "platform-value-0123456789";
    await setEnvAllowlist(OPERATOR, { projectSlug: allowed.slug, entries: ["ATTACK_PLATFORM_*"] });
  });

  it("a project allowed a variable can use it, with no hint of its value", async () => {
    const s = await createSecret(allowed.editor.actor, { projectSlug: allowed.slug, name: "PLATFORM", storage: "ENV", envVar: "ATTACK_PLATFORM_TOKEN" });
    expect(s.hint).toBe("••••••••");
  });

  it("an editor cannot point a secret of her Personal project at a variable another project may use", async () => {
    await addMember(allowed.admin.actor, { projectSlug: allowed.slug, email: team.editor.email, role: "editor" });
    const r = await refusal(createSecret(team.editor.actor, { projectSlug: personalSlug, name: "STOLEN", storage: "ENV", envVar: "ATTACK_PLATFORM_TOKEN" }));
    expect(r).toMatchObject({ code: "BAD_USER_INPUT", details: { field: "storage" } });
    const existing = await createSecret(team.editor.actor, { projectSlug: personalSlug, name: uniq("MOVE").toUpperCase().replace(/-/g, "_"), value: "v-0123456789" });
    expect((await refusal(updateSecret(team.editor.actor, { id: existing.id, storage: "ENV", envVar: "ATTACK_PLATFORM_TOKEN" }))).code).toBe("BAD_USER_INPUT");
  });

  it("members, admins and tokens cannot set a project's allowlist; only the operator can", async () => {
    for (const actor of [team.admin.actor, team.editor.actor, allowed.manageToken.actor]) {
      expect((await refusal(setEnvAllowlist(actor, { projectSlug: personalSlug, entries: ["ATTACK_PLATFORM_*"] }))).code).toBe("FORBIDDEN");
    }
    expect((await db().project.findUniqueOrThrow({ where: { slug: personalSlug } })).envAllowlist).toEqual([]);
  });

  it("never accepts entries that allow everything, Next.js's settings or the vault's own", async () => {
    for (const entry of ["*", "NEXT_*", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY", "NEX*", "SECRETS_ENCRYPTION_KEY", "DATA*", "NODE_OPTIONS", "VAULT_*", "AB*", "bad name"]) {
      expect((await refusal(setEnvAllowlist(OPERATOR, { projectSlug: allowed.slug, entries: [entry] }))).code, entry).toBe("BAD_USER_INPUT");
    }
    expect((await db().project.findUniqueOrThrow({ where: { slug: allowed.slug } })).envAllowlist).toEqual(["ATTACK_PLATFORM_*"]);
  });

  it("a clone of an ENV secret into a project not allowed its variable is refused, naming it", async () => {
    const target = await newTeam();
    await addMember(target.admin.actor, { projectSlug: target.slug, email: allowed.admin.email, role: "admin" });
    const r = await cloneSecrets(allowed.admin.actor, { sourceProjectSlug: allowed.slug, targetProjectSlug: target.slug, names: ["PLATFORM"] });
    expect(r.applied).toBe(false);
    expect(r.results[0]).toMatchObject({ outcome: "REFUSED", reason: `${target.slug} may not use the server environment variable ATTACK_PLATFORM_TOKEN` });
    expect(await db().secret.count({ where: { projectId: target.project.id } })).toBe(0);
  });

  it("removing a variable from the list stops its secrets from resolving", async () => {
    const { token } = await createApiToken(allowed.admin.actor, { projectSlug: allowed.slug, name: uniq("run"), scopes: ["secrets:inject"] });
    const c = await createConsumer(allowed.admin.actor, { projectSlug: allowed.slug, kind: "AGENT", name: uniq("agent") });
    await attachSecret(allowed.admin.actor, { consumerId: c.id, secretName: "PLATFORM" });
    const runner = (await tokenActor(token))!;
    expect((await resolveEnvironment(runner, c.name)).variables).toHaveLength(1);
    await setEnvAllowlist(OPERATOR, { projectSlug: allowed.slug, entries: ["ATTACK_OTHER_*"] });
    const r = await refusal(resolveEnvironment(runner, c.name));
    expect(r.code).toBe("FORBIDDEN");
    expect(r.message).toBe("PLATFORM points at the environment variable ATTACK_PLATFORM_TOKEN, which this project may no longer use");
    await setEnvAllowlist(OPERATOR, { projectSlug: allowed.slug, entries: ["ATTACK_PLATFORM_*"] });
  });

  it("VAULT_ENV_ALLOWLIST (one list for every project) is refused at boot with the way forward", async () => {
    const { parseEnv, EnvError } = await import("../env");
    const bad = () => parseEnv({ ...process.env, VAULT_ENV_ALLOWLIST: "ATTACK_PLATFORM_*" });
    expect(bad).toThrow(EnvError);
    expect(bad).toThrow(/project env-allow/);
  });
});
