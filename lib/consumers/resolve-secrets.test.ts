import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { createSecret } from "../secrets/create-secret";
import { graphql } from "../../graphql/generated/client";
import { auditRowsText, canaryValue, captureLogs, expectNoCanary } from "../../test/canary";
import { newTeam, tokenFor } from "../../test/fixtures";
import { codeOf, gql } from "../../test/graphql";
import { refusal } from "../../test/refusal";
import { attachSecret } from "./attach-secret";
import { createConsumer } from "./create-consumer";
import { resolveSecrets } from "./resolve-secrets";

type Team = Awaited<ReturnType<typeof newTeam>>;
const asMap = (r: { variables: { name: string; value: string }[] }) => Object.fromEntries(r.variables.map((v) => [v.name, v.value]));

const ResolveSecrets = graphql(`
  mutation ResolveSecrets($ids: [ID!], $names: [String!], $consumers: [String!]) {
    resolveSecrets(ids: $ids, names: $names, consumers: $consumers) {
      consumers {
        name
      }
      variables {
        name
        value
      }
      conflicts {
        variable
        sources
      }
    }
  }
`);

let team: Team;
let other: Team;
let inject: Actor;
let injectName: string;
const canary = canaryValue();
const ids: Record<string, string> = {};

const resolutions = (projectId: string) =>
  db().auditEvent.findMany({ where: { projectId, action: "environment.resolve" }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  [team, other] = await Promise.all([newTeam(), newTeam()]);
  const t = await tokenFor(team.slug, ["secrets:inject"], team.admin.actor);
  inject = t.actor;
  injectName = (t.actor as Extract<Actor, { kind: "token" }>).tokenName;
  for (const [name, value] of Object.entries({ OPENAI_API_KEY: "sk-openai-chosen-0123456789", GITHUB_TOKEN: canary, DB_PASSWORD: "db-pass", NODE_OPTIONS: "--require /tmp/x.js" })) {
    ids[name] = (await createSecret(team.editor.actor, { projectSlug: team.slug, name, value })).id;
  }
  ids.OTHER = (await createSecret(other.editor.actor, { projectSlug: other.slug, name: "OPENAI_API_KEY", value: "sk-other-project-value" })).id;
});

describe("resolveSecrets: secrets chosen per run", () => {
  it("resolves secrets chosen by name and by id and audits the ad-hoc resolution before answering, without the value", async () => {
    const logs = captureLogs();
    try {
      const r = await resolveSecrets(inject, { names: ["OPENAI_API_KEY"], ids: [ids.GITHUB_TOKEN] });
      expect(asMap(r)).toEqual({ OPENAI_API_KEY: "sk-openai-chosen-0123456789", GITHUB_TOKEN: canary });
      expect(r.consumers).toEqual([]);
      expect(r.conflicts).toEqual([]);
      const rows = await resolutions(team.project.id);
      expect(rows.at(-1)).toMatchObject({
        actorTokenId: (inject as Extract<Actor, { kind: "token" }>).tokenId,
        details: { consumer: "ad hoc", token: injectName, chosen: ["GITHUB_TOKEN", "OPENAI_API_KEY"], variables: ["GITHUB_TOKEN", "OPENAI_API_KEY"] },
      });
      expectNoCanary(canary, await auditRowsText(), logs.lines.join("\n"));
    } finally {
      logs.restore();
    }
  });

  it("is for inject tokens only: users, read and manage tokens and nobody are refused", async () => {
    expect((await refusal(resolveSecrets(null, { names: ["OPENAI_API_KEY"] }))).code).toBe("UNAUTHENTICATED");
    expect((await refusal(resolveSecrets(team.admin.actor, { names: ["OPENAI_API_KEY"] }))).code).toBe("FORBIDDEN");
    expect((await refusal(resolveSecrets(team.manageToken.actor, { names: ["OPENAI_API_KEY"] }))).code).toBe("FORBIDDEN");
    expect((await refusal(resolveSecrets(team.readToken.actor, { ids: [ids.OPENAI_API_KEY] }))).code).toBe("FORBIDDEN");
  });

  it("answers NOT_FOUND for another project's id or an unknown name, all or nothing, and audits nothing", async () => {
    const before = (await resolutions(team.project.id)).length;
    const foreign = await refusal(resolveSecrets(inject, { names: ["DB_PASSWORD"], ids: [ids.OTHER] }));
    expect(foreign).toMatchObject({ code: "NOT_FOUND", message: `Secret(s) not found: ${ids.OTHER}` });
    const unknown = await refusal(resolveSecrets(inject, { names: ["DB_PASSWORD", "NO_SUCH", "NOR_THIS"] }));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", message: "Secret(s) not found: NO_SUCH, NOR_THIS" });
    expect((await refusal(resolveSecrets(inject, { ids: ["not-a-uuid"] }))).code).toBe("NOT_FOUND");
    expect((await refusal(resolveSecrets(inject, {}))).code).toBe("BAD_USER_INPUT");
    expect((await resolutions(team.project.id)).length).toBe(before);
  });

  it("applies the deny-list to chosen secrets: a secret named NODE_OPTIONS is never handed to a runner", async () => {
    const r = await refusal(resolveSecrets(inject, { names: ["OPENAI_API_KEY", "NODE_OPTIONS"] }));
    expect(r.code).toBe("BAD_USER_INPUT");
    expect(r.message).toContain("NODE_OPTIONS cannot be set");
    expect(r.message).not.toContain("/tmp/x.js");
  });

  it("merges several consumers and chosen secrets in one audited call: later wins, every clash reported", async () => {
    const agent = await createConsumer(team.editor.actor, { projectSlug: team.slug, kind: "AGENT", name: "agent" });
    await attachSecret(team.editor.actor, { consumerId: agent.id, secretName: "OPENAI_API_KEY" });
    await attachSecret(team.editor.actor, { consumerId: agent.id, secretName: "DB_PASSWORD", alias: "SHARED" });
    const task = await createConsumer(team.editor.actor, {
      projectSlug: team.slug,
      kind: "TASK_TEMPLATE",
      name: "task-template",
      templates: [{ variable: "SHARED", template: "task:{{DB_PASSWORD}}" }],
    });
    await attachSecret(team.editor.actor, { consumerId: task.id, secretName: "DB_PASSWORD" });
    const before = (await resolutions(team.project.id)).length;

    const r = await resolveSecrets(inject, { consumers: ["agent", "task-template"], names: ["DB_PASSWORD"], ids: [ids.GITHUB_TOKEN] });
    expect(r.consumers.map((c) => c.name)).toEqual(["agent", "task-template"]);
    expect(asMap(r)).toEqual({ OPENAI_API_KEY: "sk-openai-chosen-0123456789", SHARED: "task:db-pass", DB_PASSWORD: "db-pass", GITHUB_TOKEN: canary });
    expect(r.conflicts).toEqual([
      { variable: "DB_PASSWORD", sources: ["task-template: secret DB_PASSWORD", "ad hoc: secret DB_PASSWORD"] },
      { variable: "SHARED", sources: ["agent: secret DB_PASSWORD", "task-template: template"] },
    ]);
    const rows = await resolutions(team.project.id);
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)!.details).toMatchObject({ consumer: "agent + task-template + ad hoc", consumers: ["agent", "task-template"], token: injectName });
    const attachments = await db().attachment.findMany({ where: { consumerId: { in: [agent.id, task.id] } }, select: { lastResolvedAt: true } });
    expect(attachments.every((a) => a.lastResolvedAt !== null)).toBe(true);
    expectNoCanary(canary, await auditRowsText());

    // Order matters: the task template first, then the agent.
    const reversed = await resolveSecrets(inject, { consumers: ["task-template", "agent"] });
    expect(asMap(reversed).SHARED).toBe("db-pass");
    expect((await refusal(resolveSecrets(inject, { consumers: ["agent", "nope"] })))).toMatchObject({ code: "NOT_FOUND", message: "Consumer nope not found" });
  });

  it("is the resolveSecrets mutation over GraphQL, in the token's project only", async () => {
    const ok = await gql(inject, ResolveSecrets, { names: ["OPENAI_API_KEY"] });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.resolveSecrets.variables).toEqual([{ name: "OPENAI_API_KEY", value: "sk-openai-chosen-0123456789" }]);
    const foreign = await gql(inject, ResolveSecrets, { ids: [ids.OTHER] });
    expect(codeOf(foreign)).toBe("NOT_FOUND");
    expect(foreign.raw).not.toContain("sk-other-project-value");
    expect(codeOf(await gql(team.manageToken.actor, ResolveSecrets, { ids: [ids.GITHUB_TOKEN] }))).toBe("FORBIDDEN");
  });
});
