import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/client";
import { codeOf, gql } from "../test/graphql";
import { auditRowsText, canaryValue, captureLogs, expectNoCanary } from "../test/canary";
import { newTeam } from "../test/fixtures";

const CreateSecret = graphql(`
  mutation CreateSecret($input: CreateSecretInput!) {
    createSecret(input: $input) {
      id
      name
      description
      type
      metadata
      storage
      referencePath
      hint
      version
      createdAt
      updatedAt
      createdBy {
        email
      }
    }
  }
`);

const ProjectSecrets = graphql(`
  query ProjectSecrets($slug: String!, $first: Int, $after: String, $search: String) {
    project(slug: $slug) {
      id
      viewerPermissions
      secrets(first: $first, after: $after, search: $search) {
        totalCount
        edges {
          cursor
          node {
            id
            name
            hint
            version
            versions {
              version
              createdBy {
                email
              }
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const UpdateSecret = graphql(`
  mutation UpdateSecret($input: UpdateSecretInput!) {
    updateSecret(input: $input) {
      id
      version
      hint
      description
    }
  }
`);

const DeleteSecret = graphql(`
  mutation DeleteSecret($input: DeleteSecretInput!) {
    deleteSecret(input: $input) {
      id
      name
    }
  }
`);

const CloneSecrets = graphql(`
  mutation CloneSecrets($input: CloneSecretsInput!) {
    cloneSecrets(input: $input) {
      applied
      results {
        name
        outcome
        reason
      }
    }
  }
`);

const Audit = graphql(`
  query Audit($slug: String!) {
    project(slug: $slug) {
      auditEvents(first: 100) {
        edges {
          node {
            action
            actorLabel
            secretName
            details
            client
          }
        }
      }
    }
  }
`);

const Presets = graphql(`
  query Presets {
    secretPresets {
      id
      name
      type
      format
    }
  }
`);

describe("the secret lifecycle over GraphQL, with a canary value", () => {
  const canary = canaryValue();
  const bodies: string[] = [];
  const logs = captureLogs();
  let team: Awaited<ReturnType<typeof newTeam>>;
  let target: Awaited<ReturnType<typeof newTeam>>;

  beforeAll(async () => {
    [team, target] = await Promise.all([newTeam(), newTeam()]);
    const { addMember } = await import("@/lib/projects/members");
    await addMember(target.admin.actor, { projectSlug: target.slug, email: team.editor.email, role: "editor" });
  });
  afterAll(() => logs.restore());

  it("runs create, list, edit, clone and delete without the value ever coming back", async () => {
    const created = await gql(team.editor.actor, CreateSecret, {
      input: { projectSlug: team.slug, name: "CANARY_SECRET", value: canary, description: "the canary", type: "Test", metadata: { k: "v" } },
    });
    bodies.push(created.raw);
    expect(created.errors).toBeUndefined();
    const secret = created.data!.createSecret;
    expect(secret).toMatchObject({ name: "CANARY_SECRET", storage: "DATABASE", referencePath: null, version: 1 });
    expect(secret.hint).toBe(`${canary.slice(0, 4)}••••••••${canary.slice(-4)}`);

    const listed = await gql(team.viewer.actor, ProjectSecrets, { slug: team.slug, first: 10 });
    bodies.push(listed.raw);
    expect(listed.data!.project!.secrets.totalCount).toBe(1);
    expect(listed.data!.project!.viewerPermissions).toEqual(["secrets:read"]);

    const dup = await gql(team.editor.actor, CreateSecret, { input: { projectSlug: team.slug, name: "CANARY_SECRET", value: canary } });
    bodies.push(dup.raw);
    expect(codeOf(dup)).toBe("CONFLICT");

    // The canary typed into the wrong fields is refused without being echoed.
    for (const input of [
      { projectSlug: team.slug, name: canary, value: "v" },
      { projectSlug: team.slug, name: "X", value: "v", metadata: canary },
      { projectSlug: team.slug, name: "X", value: "v", storage: canary },
      { projectSlug: canary, name: "X", value: "v" },
    ]) {
      const r = await gql(team.editor.actor, CreateSecret, { input } as never);
      bodies.push(r.raw);
      expect(["BAD_USER_INPUT", "NOT_FOUND"]).toContain(codeOf(r));
    }
    const badVersion = await gql(team.editor.actor, UpdateSecret, { input: { id: secret.id, value: canary, expectedVersion: canary } } as never);
    bodies.push(badVersion.raw);
    expect(codeOf(badVersion)).toBe("BAD_USER_INPUT");

    const nothing = await gql(team.editor.actor, UpdateSecret, { input: { id: secret.id, value: "", description: "the canary" } });
    bodies.push(nothing.raw);
    expect(nothing.errors?.[0].message).toBe("No changes to save");

    const updated = await gql(team.editor.actor, UpdateSecret, { input: { id: secret.id, value: `${canary}-v2`, expectedVersion: 1 } });
    bodies.push(updated.raw);
    expect(updated.data!.updateSecret.version).toBe(2);
    const stale = await gql(team.editor.actor, UpdateSecret, { input: { id: secret.id, value: canary, expectedVersion: 1 } });
    bodies.push(stale.raw);
    expect(codeOf(stale)).toBe("CONFLICT");

    const cloned = await gql(team.editor.actor, CloneSecrets, { input: { sourceProjectSlug: team.slug, targetProjectSlug: target.slug, all: true } });
    bodies.push(cloned.raw);
    expect(cloned.data!.cloneSecrets).toEqual({ applied: true, results: [{ name: "CANARY_SECRET", outcome: "CREATED", reason: null }] });

    const wrongConfirm = await gql(team.editor.actor, DeleteSecret, { input: { id: secret.id, confirmName: canary } });
    bodies.push(wrongConfirm.raw);
    expect(codeOf(wrongConfirm)).toBe("BAD_USER_INPUT");
    const deleted = await gql(team.editor.actor, DeleteSecret, { input: { id: secret.id, confirmName: "CANARY_SECRET" } });
    bodies.push(deleted.raw);
    expect(deleted.data!.deleteSecret.name).toBe("CANARY_SECRET");

    const audit = await gql(team.admin.actor, Audit, { slug: team.slug });
    bodies.push(audit.raw);
    const actions = audit.data!.project!.auditEvents.edges.map((e) => e.node.action);
    expect(actions).toEqual(expect.arrayContaining(["secret.create", "secret.update", "secrets.clone_out", "secret.delete"]));

    expectNoCanary(canary, ...bodies, logs.lines, await auditRowsText());
    // The hint is stored, but nothing else derived from the value is, and audit rows carry no hint.
    expect(await auditRowsText()).not.toContain(secret.hint);
  });

  it("pages with cursors through the connection", async () => {
    for (const n of ["P_A", "P_B", "P_C"]) await gql(team.editor.actor, CreateSecret, { input: { projectSlug: team.slug, name: n, value: "v" } });
    const first = await gql(team.viewer.actor, ProjectSecrets, { slug: team.slug, first: 2, search: "P_" });
    const page1 = first.data!.project!.secrets;
    expect(page1.edges.map((e) => e.node.name)).toEqual(["P_A", "P_B"]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await gql(team.viewer.actor, ProjectSecrets, { slug: team.slug, first: 2, search: "P_", after: page1.pageInfo.endCursor });
    expect(second.data!.project!.secrets.edges.map((e) => e.node.name)).toEqual(["P_C"]);
    expect(second.data!.project!.secrets.pageInfo).toEqual({ hasNextPage: false, endCursor: second.data!.project!.secrets.edges[0].cursor });
  });

  it("lists the provider presets to signed-in callers only", async () => {
    expect(codeOf(await gql(null, Presets))).toBe("UNAUTHENTICATED");
    const presets = (await gql(team.readToken.actor, Presets)).data!.secretPresets;
    const byId = Object.fromEntries(presets.map((p) => [p.id, p.name]));
    expect(byId).toMatchObject({ openai: "OPENAI_API_KEY", anthropic: "ANTHROPIC_API_KEY", github: "GITHUB_TOKEN", stripe: "STRIPE_SECRET_KEY", slack: "SLACK_BOT_TOKEN", google: "GOOGLE_API_KEY" });
  });

  it("has no field anywhere in the schema that could carry a value back", async () => {
    const { typeDefs } = await import("./generated/type-defs");
    const { buildSchema, isObjectType } = await import("graphql");
    const schema = buildSchema(typeDefs);
    const outputFields = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !t.name.startsWith("__") && t.name !== "Mutation" && t.name !== "Query")
      .flatMap((t) => Object.keys((t as import("graphql").GraphQLObjectType).getFields()).map((f) => `${t.name}.${f}`));
    // resolveEnvironment's variables are the one place values leave the server.
    expect(outputFields.filter((f) => /value|plaintext|ciphertext|secretHash|wrapped/i.test(f))).toEqual(["ResolvedVariable.value"]);
    // The one token field is the freshly created token, shown once.
    expect(outputFields.filter((f) => /\.token$/i.test(f))).toEqual(["CreatedApiToken.token"]);
  });
});
