// Attack: an editor writes a consumer whose environment changes how the CI job's programs load code
// or connect (NODE_OPTIONS=--require …, LD_PRELOAD, BASH_ENV, PATH, a proxy, a git helper); `vault
// run` then executes her code next to VAULT_TOKEN. The server refuses such variables when they are
// saved and again when they are resolved (rows written before the rule existed).
import { beforeAll, describe, expect, it } from "vitest";
import { tokenActor, type Actor } from "../auth/actor";
import { db } from "../db/client";
import { createSecret } from "../secrets/create-secret";
import { createApiToken } from "../tokens/api-tokens";
import { newTeam, uniq } from "../../test/fixtures";
import { refusal } from "../../test/refusal";
import { attachSecret } from "./attach-secret";
import { createConsumer } from "./create-consumer";
import { updateConsumer } from "./update-consumer";
import { deniedVariableReason } from "./denied-variables.mjs";
import { resolveEnvironment } from "./resolve-environment";

const DANGEROUS = [
  "NODE_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "BASH_ENV", "ENV", "PATH", "HTTPS_PROXY", "https_proxy",
  "ALL_PROXY", "NO_PROXY", "GIT_SSH_COMMAND", "GIT_CONFIG_GLOBAL", "PYTHONPATH", "PERL5OPT", "RUBYOPT", "JAVA_TOOL_OPTIONS",
  "NPM_CONFIG_REGISTRY", "npm_config_script_shell", "VAULT_TOKEN", "PROMPT_COMMAND", "HOME", "SSL_CERT_FILE", "BASH_FUNC_ls%%",
];

let team: Awaited<ReturnType<typeof newTeam>>;
let runner: Actor;
beforeAll(async () => {
  team = await newTeam();
  await createSecret(team.editor.actor, { projectSlug: team.slug, name: "NODE_OPTIONS", value: "--require=/tmp/evil.js" });
  await createSecret(team.editor.actor, { projectSlug: team.slug, name: "API_TOKEN", value: "api-token-0123456789" });
  const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: uniq("ci"), scopes: ["secrets:inject"] });
  runner = (await tokenActor(token))!;
});

describe("variables that change how programs load or connect", () => {
  it("are on the deny-list, whatever their case; ordinary secret names are not", () => {
    for (const name of DANGEROUS) expect(deniedVariableReason(name), name).toMatch(/cannot be set by a consumer/);
    for (const name of ["API_TOKEN", "OPENAI_API_KEY", "DATABASE_PASSWORD", "AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "Authorization"]) {
      expect(deniedVariableReason(name), name).toBeNull();
    }
  });

  it("are refused in templates on create and update, and nothing is saved", async () => {
    for (const variable of ["NODE_OPTIONS", "LD_PRELOAD", "BASH_ENV", "PATH", "https_proxy", "GIT_SSH_COMMAND", "VAULT_TOKEN"]) {
      const name = uniq("job");
      const r = await refusal(createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name, templates: [{ variable, template: "--require=/tmp/x.js {{API_TOKEN}}" }] }));
      expect(r.code, variable).toBe("BAD_USER_INPUT");
      expect(r.message).toContain(`${variable} cannot be set by a consumer`);
      expect(await db().consumer.count({ where: { projectId: team.project.id, name } })).toBe(0);
    }
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: uniq("agent"), templates: [{ variable: "TOKEN", template: "{{API_TOKEN}}" }] });
    expect((await refusal(updateConsumer(team.editor.actor, { id: c.id, templates: [{ variable: "LD_PRELOAD", template: "/tmp/evil.so" }] }))).code).toBe("BAD_USER_INPUT");
    expect(await db().consumerTemplate.findMany({ where: { consumerId: c.id }, select: { variable: true } })).toEqual([{ variable: "TOKEN" }]);
  });

  it("are refused as attachment variables: a secret named NODE_OPTIONS attaches only under an alias", async () => {
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: uniq("agent") });
    const bare = await refusal(attachSecret(team.editor.actor, { consumerId: c.id, secretName: "NODE_OPTIONS" }));
    expect(bare).toMatchObject({ code: "BAD_USER_INPUT" });
    expect(bare.message).toContain("attach it with an alias");
    expect((await refusal(attachSecret(team.editor.actor, { consumerId: c.id, secretName: "API_TOKEN", alias: "LD_PRELOAD" }))).code).toBe("BAD_USER_INPUT");
    expect(await db().attachment.count({ where: { consumerId: c.id } })).toBe(0);
    const ok = await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "NODE_OPTIONS", alias: "APP_NODE_OPTIONS" });
    expect(ok.attachments.map((a) => a.variable)).toEqual(["APP_NODE_OPTIONS"]);
  });

  it("already saved (before the rule) make the resolution fail whole, before any value is read or audited", async () => {
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: uniq("legacy"), templates: [{ variable: "TOKEN", template: "{{API_TOKEN}}" }] });
    await db().consumerTemplate.create({ data: { consumerId: c.id, variable: "NODE_OPTIONS", template: "--require=/tmp/evil.js" } });
    const before = await db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } });
    const r = await refusal(resolveEnvironment(runner, c.name));
    expect(r.code).toBe("BAD_USER_INPUT");
    expect(r.message).toContain("NODE_OPTIONS cannot be set by a consumer");
    expect(await db().auditEvent.count({ where: { projectId: team.project.id, action: "environment.resolve" } })).toBe(before);
  });
});
