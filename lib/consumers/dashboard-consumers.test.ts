// What the consumer editor relies on: the blast radius counts placeholder references (allow-all
// consumers included) as well as attachments, and template problems are reported by the server's
// own rules before anything is saved.
import { beforeAll, describe, expect, it } from "vitest";
import { tokenActor } from "../auth/actor";
import { db } from "../db/client";
import { createSecret } from "../secrets/create-secret";
import { deleteSecret } from "../secrets/delete-secret";
import { getSecretById } from "../secrets/list-secrets";
import { createApiToken } from "../tokens/api-tokens";
import { newTeam } from "../../test/fixtures";
import { refusal } from "../../test/refusal";
import { attachSecret } from "./attach-secret";
import { checkConsumerTemplates } from "./check-templates";
import { createConsumer } from "./create-consumer";
import { getConsumer } from "./list-consumers";
import { highlightTemplate } from "./placeholders";
import { resolveEnvironment } from "./resolve-environment";
import { secretConsumers } from "./secret-consumers";
import { unusedSecrets } from "./unused-secrets";

type Team = Awaited<ReturnType<typeof newTeam>>;
let team: Team;
const ids: Record<string, string> = {};

beforeAll(async () => {
  team = await newTeam();
  for (const name of ["API_TOKEN", "DB_PASSWORD", "OTHER"]) {
    ids[name] = (await createSecret(team.editor.actor, { projectSlug: team.slug, name, value: `${name.toLowerCase()}-value-0123456789` })).id;
  }
});

describe("the blast radius", () => {
  it("lists consumers attached to a secret and consumers naming it in a placeholder, with last use", async () => {
    const attached = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: "a-attached" });
    await attachSecret(team.editor.actor, { consumerId: attached.id, secretName: "API_TOKEN", alias: "TOKEN" });
    const credential = await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "INTEGRATION_CREDENTIAL",
      name: "b-allow-all",
      allowAllSecrets: true,
      templates: [{ variable: "Authorization", template: "Bearer {{ API_TOKEN }}" }],
    });
    // An escaped placeholder is literal text, and a longer name is another secret: neither counts.
    await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "AGENT",
      name: "c-literal",
      allowAllSecrets: true,
      templates: [{ variable: "AGENT_INSTRUCTIONS", template: "write \\{{API_TOKEN}} and {{API_TOKEN_2}}" }],
    });
    const { token } = await createApiToken(team.admin.actor, { projectSlug: team.slug, name: "runner", scopes: ["secrets:inject"] });
    await resolveEnvironment((await tokenActor(token))!, "b-allow-all");

    const uses = await secretConsumers(team.viewer.actor, ids.API_TOKEN);
    expect(uses).toEqual([
      { consumer: { id: attached.id, name: "a-attached", kind: "TASK_TEMPLATE" }, variable: "TOKEN", attached: true, templateVariables: [], lastResolvedAt: null },
      {
        consumer: { id: credential.id, name: "b-allow-all", kind: "INTEGRATION_CREDENTIAL" },
        variable: "Authorization",
        attached: false,
        templateVariables: ["Authorization"],
        lastResolvedAt: expect.any(Date),
      },
    ]);
    expect((await secretConsumers(team.viewer.actor, ids.API_TOKEN, { first: 1, after: "a-attached" })).map((u) => u.consumer.name)).toEqual(["b-allow-all"]);
    // Resolved through the allow-all credential's placeholder only: not unused, though no attachment
    // of it was resolved.
    const unused = (await unusedSecrets(team.viewer.actor, team.project.id, 30)).map((s) => s.name);
    expect(unused).not.toContain("API_TOKEN");
    expect(unused).toContain("OTHER");
    expect((await unusedSecrets(team.viewer.actor, team.project.id, 30, { first: 1, after: "API_TOKEN" })).map((s) => s.name)).toEqual(["DB_PASSWORD"]);
  });

  it("delete names placeholder-only consumers too and needs force for them", async () => {
    await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "AGENT",
      name: "uses-db",
      allowAllSecrets: true,
      templates: [{ variable: "DATABASE_URL", template: "postgres://app:{{DB_PASSWORD}}@db/app" }],
    });
    const r = await refusal(deleteSecret(team.editor.actor, { id: ids.DB_PASSWORD, confirmName: "DB_PASSWORD" }));
    expect(r).toMatchObject({ code: "CONFLICT", details: { attachments: [{ consumerName: "uses-db", kind: "AGENT", attached: false }] } });
    expect(r.message).toContain("DB_PASSWORD is used by uses-db");
    expect(await db().secret.count({ where: { id: ids.DB_PASSWORD } })).toBe(1);
  });
});

describe("checking templates before saving", () => {
  it("reports malformed braces, refused variables, unknown and unattached names, each at its template", async () => {
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "TASK_TEMPLATE", name: "editor-check" });
    await attachSecret(team.editor.actor, { consumerId: c.id, secretName: "API_TOKEN" });
    const templates = [
      { variable: "OK", template: "Bearer {{API_TOKEN}} and \\{{literal}}" },
      { variable: "BROKEN", template: "x {{API_TOKEN" },
      { variable: "NODE_OPTIONS", template: "--require x" },
      { variable: "UNKNOWN", template: "{{NO_SUCH_SECRET}}" },
      { variable: "NOT_TICKED", template: "{{OTHER}}" },
    ];
    const problems = await checkConsumerTemplates(team.editor.actor, { consumerId: c.id, allowAllSecrets: false, templates });
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, "template"],
      [2, "variable"],
      [3, "template"],
      [4, "template"],
    ]);
    expect(problems[0].message).toContain("Unclosed placeholder at character 3");
    expect(problems[1].message).toContain("NODE_OPTIONS");
    expect(problems[2].message).toBe("{{NO_SUCH_SECRET}}: there is no secret named NO_SUCH_SECRET in this project");
    expect(problems[3].message).toBe("{{OTHER}}: OTHER is not attached to editor-check; tick it under Secrets or allow all secrets");
    // Allowing all secrets lifts only the attachment rule.
    const allowAll = await checkConsumerTemplates(team.editor.actor, { consumerId: c.id, allowAllSecrets: true, templates });
    expect(allowAll.map((p) => p.index)).toEqual([1, 2, 3]);
    // Nothing was saved.
    expect((await getConsumer(team.viewer.actor, c.id)).templates).toEqual([]);
  });

  it("is for managers of the consumer's project; another project's consumer is NOT_FOUND", async () => {
    const c = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "guarded" });
    expect((await refusal(checkConsumerTemplates(team.viewer.actor, { consumerId: c.id, allowAllSecrets: false, templates: [] }))).code).toBe("FORBIDDEN");
    const other = await newTeam();
    expect((await refusal(checkConsumerTemplates(other.admin.actor, { consumerId: c.id, allowAllSecrets: false, templates: [] }))).code).toBe("NOT_FOUND");
    expect((await refusal(getConsumer(other.admin.actor, c.id))).code).toBe("NOT_FOUND");
    expect((await refusal(getConsumer(other.admin.actor, "not-a-uuid"))).code).toBe("NOT_FOUND");
  });
});

describe("highlighting", () => {
  it("marks placeholders, escapes and what the parser would refuse, without throwing", () => {
    expect(highlightTemplate("Bearer {{ MY_API_TOKEN }} \\{{x}} {{bad}} {{OPEN")).toEqual([
      { text: "Bearer ", kind: "literal" },
      { text: "{{ MY_API_TOKEN }}", kind: "placeholder" },
      { text: " ", kind: "literal" },
      { text: "\\{{", kind: "escape" },
      { text: "x}} ", kind: "literal" },
      { text: "{{bad}}", kind: "invalid" },
      { text: " ", kind: "literal" },
      { text: "{{OPEN", kind: "invalid" },
    ]);
  });
});

describe("a secret's page by id", () => {
  it("finds a secret of the project by id; another project's id, a malformed one and outsiders get nothing", async () => {
    expect((await getSecretById(team.viewer.actor, team.project.id, ids.OTHER))?.name).toBe("OTHER");
    const other = await newTeam();
    const theirs = await createSecret(other.editor.actor, { projectSlug: other.slug, name: "THEIRS", value: "theirs-value-0123456789" });
    expect(await getSecretById(team.viewer.actor, team.project.id, theirs.id)).toBeNull();
    expect(await getSecretById(team.viewer.actor, team.project.id, "not-a-uuid")).toBeNull();
    expect((await refusal(getSecretById(other.admin.actor, team.project.id, ids.OTHER))).code).toBe("NOT_FOUND");
  });
});
