// The canary (a stored value that must never be seen again) through the surfaces the attack fixes
// added: clone refusals, the ENV variable field, the per-project allowlist, consumer deny-list
// errors and concurrent resolutions. Responses, errors, audit rows and logs (captured at debug
// level) must not carry it; only the resolution itself returns it, to the inject token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, tokenActor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { attachSecret } from "@/lib/consumers/attach-secret";
import { createConsumer } from "@/lib/consumers/create-consumer";
import { updateConsumer } from "@/lib/consumers/update-consumer";
import { resolveEnvironment } from "@/lib/consumers/resolve-environment";
import { setEnvAllowlist } from "@/lib/projects/set-env-allowlist";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { auditRowsText, canaryValue, captureLogs, expectNoCanary } from "../test/canary";
import { newTeam, uniq } from "../test/fixtures";
import { gql } from "../test/graphql";

const canary = canaryValue();
const logs = captureLogs();
const seen: string[] = [];
let team: Awaited<ReturnType<typeof newTeam>>;
let personal: string;

beforeAll(async () => {
  team = await newTeam();
  const created = await gql(team.admin.actor, `mutation($i:CreateSecretInput!){createSecret(input:$i){id hint}}`, { i: { projectSlug: team.slug, name: "CANARY_SECRET", value: canary } });
  seen.push(created.raw);
  personal = (await db().project.findFirstOrThrow({ where: { personal: true, memberships: { some: { userId: team.editor.id } } } })).slug;
});
afterAll(() => logs.restore());

const mutation = async (actor: Parameters<typeof gql>[0], query: string, variables: Record<string, unknown>) => {
  const r = await gql(actor, query, variables);
  seen.push(r.raw);
  return r;
};
const settle = async (p: Promise<unknown>) => seen.push(JSON.stringify(await p.then((v) => v, (e) => ({ error: String(e), details: (e as { details?: unknown }).details }))));

describe("the canary on the attack surfaces", () => {
  it("clone refusals, ENV fields, allowlists and deny-list errors never carry it", async () => {
    const clone = await mutation(team.editor.actor, `mutation($i:CloneSecretsInput!){cloneSecrets(input:$i){applied}}`, { i: { sourceProjectSlug: team.slug, targetProjectSlug: personal, all: true } });
    expect(clone.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // A value pasted into the variable-name fields is refused without coming back.
    await setEnvAllowlist(OPERATOR, { projectSlug: team.slug, entries: ["SURFACE_TEST_*"] });
    const env = await mutation(team.editor.actor, `mutation($i:CreateSecretInput!){createSecret(input:$i){id}}`, { i: { projectSlug: team.slug, name: "PASTED", storage: "ENV", envVar: canary } });
    expect(env.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    await settle(setEnvAllowlist(OPERATOR, { projectSlug: team.slug, entries: [canary, `${canary}!`] }));
    await settle(setEnvAllowlist(OPERATOR, { projectSlug: team.slug, entries: [`${canary}-x`] }));
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: uniq("agent") });
    await settle(updateConsumer(team.editor.actor, { id: c.id, templates: [{ variable: "NODE_OPTIONS", template: `{{CANARY_SECRET}} ${canary}` }] }));
    await settle(attachSecret(team.editor.actor, { consumerId: c.id, secretName: "CANARY_SECRET", alias: canary }));
  });

  it("concurrent resolutions return it to the inject token only: audit rows and logs stay clean", async () => {
    const c = await createConsumer(team.admin.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: uniq("job"), templates: [{ variable: "URL", template: "https://u:{{CANARY_SECRET}}@h" }], allowAllSecrets: true });
    const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: uniq("ci"), scopes: ["secrets:inject"] });
    const runner = (await tokenActor(token))!;
    const results = await Promise.all(Array.from({ length: 8 }, () => resolveEnvironment(runner, c.name)));
    for (const r of results) expect(r.variables[0].value).toBe(`https://u:${canary}@h`);
  });

  it("appears in no response, error, audit row or log line", async () => {
    expect(seen.length).toBeGreaterThan(5);
    expectNoCanary(canary, ...seen, await auditRowsText(), logs.lines.join("\n"));
  });
});
