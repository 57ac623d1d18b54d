// Every nested list takes `first` (default 50, at most 200) and a cursor `after`, and the services
// get them: no field answers an unbounded list. The dashboard calls the same services without
// paging arguments and still gets everything.
import { beforeAll, describe, expect, it } from "vitest";
import { attachSecret } from "@/lib/consumers/attach-secret";
import { createConsumer } from "@/lib/consumers/create-consumer";
import { listMembers } from "@/lib/projects/members";
import { createSecret } from "@/lib/secrets/create-secret";
import { listSecretVersions } from "@/lib/secrets/list-secrets";
import { updateSecret } from "@/lib/secrets/update-secret";
import { listApiTokens } from "@/lib/tokens/api-tokens";
import { newTeam, newUser, tokenFor } from "../test/fixtures";
import { codeOf, gql } from "../test/graphql";
import { PAGE_DEFAULT, PAGE_MAX, SECRETS_PAGE_MAX } from "./paging";

let team: Awaited<ReturnType<typeof newTeam>>;
let secretId = "";
const VERSIONS = PAGE_DEFAULT + 5;

beforeAll(async () => {
  team = await newTeam();
  const secret = await createSecret(team.admin.actor, { projectSlug: team.slug, name: "PAGED", value: "paged-value-0" });
  secretId = secret.id;
  for (let v = 2; v <= VERSIONS; v++) await updateSecret(team.admin.actor, { id: secret.id, value: `paged-value-${v}` });
  for (const name of ["UNUSED_A", "UNUSED_B", "UNUSED_C"]) await createSecret(team.admin.actor, { projectSlug: team.slug, name, value: `v-${name}` });
  for (const name of ["agent-a", "agent-b", "agent-c"]) {
    const consumer = await createConsumer(team.admin.actor, { projectSlug: team.slug, kind: "AGENT", name });
    await attachSecret(team.admin.actor, { consumerId: consumer.id, secretName: "PAGED" });
  }
  // 3 members from newTeam + 2; 2 tokens from newTeam + 2.
  for (const user of [await newUser(), await newUser()]) {
    await gql(team.admin.actor, `mutation($i: MemberInput!) { addMember(input: $i) { id } }`, { i: { projectSlug: team.slug, email: user.email, role: "viewer" } });
  }
  await tokenFor(team.slug, ["secrets:read"], team.admin.actor);
  await tokenFor(team.slug, ["secrets:read"], team.admin.actor);
});

const secretField = (field: string) => async (args: string) => {
  const r = await gql(team.admin.actor, `query($s: String!) { project(slug: $s) { secret(name: "PAGED") { ${field.replace("ARGS", args)} } } }`, { s: team.slug });
  return { r, list: (r.data as { project: { secret: Record<string, unknown[]> | null } | null } | null)?.project?.secret?.[field.split(/[ (]/)[0]] };
};
const projectField = (field: string) => async (args: string) => {
  const r = await gql(team.admin.actor, `query($s: String!) { project(slug: $s) { ${field.replace("ARGS", args)} } }`, { s: team.slug });
  return { r, list: (r.data as { project: Record<string, unknown[]> | null } | null)?.project?.[field.split(/[ (]/)[0]] };
};

// Each nested list: how to fetch it with arguments, what identifies an item, and the cursor an item gives.
const lists = [
  { name: "Secret.versions", fetch: secretField("versions(ARGS) { version }"), key: (i: any) => i.version, cursor: (i: any) => String(i.version) },
  { name: "Secret.consumers", fetch: secretField("consumers(ARGS) { consumer { name } }"), key: (i: any) => i.consumer.name, cursor: (i: any) => JSON.stringify(i.consumer.name) },
  { name: "Project.members", fetch: projectField("members(ARGS) { user { email } }"), key: (i: any) => i.user.email, cursor: (i: any) => JSON.stringify(i.user.email) },
  { name: "Project.apiTokens", fetch: projectField("apiTokens(ARGS) { id name }"), key: (i: any) => i.id, cursor: (i: any) => JSON.stringify(i.id) },
  { name: "Project.consumers", fetch: projectField("consumers(ARGS) { name }"), key: (i: any) => i.name, cursor: (i: any) => JSON.stringify(i.name) },
  { name: "Project.unusedSecrets", fetch: projectField(`unusedSecrets(days: 30, ARGS) { name }`), key: (i: any) => i.name, cursor: (i: any) => JSON.stringify(i.name) },
];

describe("nested lists page with first and after", () => {
  for (const list of lists) {
    it(`${list.name}: first takes a page, after continues it, the pages join up`, async () => {
      const all = await list.fetch(`first: ${PAGE_MAX}`);
      expect(all.r.errors).toBeUndefined();
      expect(all.list!.length).toBeGreaterThanOrEqual(3);
      const first = await list.fetch("first: 2");
      expect(first.list!.map(list.key)).toEqual(all.list!.slice(0, 2).map(list.key));
      const next = await list.fetch(`first: 2, after: ${list.cursor(first.list![1])}`);
      expect(next.r.errors).toBeUndefined();
      expect(next.list!.map(list.key)).toEqual(all.list!.slice(2, 4).map(list.key));
    });

    it(`${list.name}: refuses first above ${PAGE_MAX} or below 1`, async () => {
      for (const first of [PAGE_MAX + 1, 0, -1]) {
        const { r } = await list.fetch(`first: ${first}`);
        expect(codeOf(r)).toBe("BAD_USER_INPUT");
        expect(r.errors![0].message).toBe(`first must be between 1 and ${PAGE_MAX}`);
      }
    });
  }

  it(`answers ${PAGE_DEFAULT} items when first is absent (Secret.versions has ${VERSIONS})`, async () => {
    const { list } = await secretField("versions { version }")("");
    expect(list!.map((v: any) => v.version)).toEqual(Array.from({ length: PAGE_DEFAULT }, (_, i) => VERSIONS - i));
    const older = await secretField("versions(ARGS) { version }")(`after: ${VERSIONS - PAGE_DEFAULT + 1}`);
    expect(older.list!.map((v: any) => v.version)).toEqual([5, 4, 3, 2, 1]);
  });

  it("refuses another project's token id as an apiTokens cursor", async () => {
    const other = await newTeam();
    const [foreign] = await listApiTokens(other.admin.actor, other.project.id);
    const { r } = await projectField("apiTokens(ARGS) { id }")(`after: ${JSON.stringify(foreign.id)}`);
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toBe("Invalid cursor");
  });

  it("leaves the dashboard's calls (no paging arguments) answering everything", async () => {
    expect((await listSecretVersions(team.admin.actor, secretId)).length).toBe(VERSIONS);
    expect((await listMembers(team.admin.actor, team.project.id)).length).toBe(5);
    expect((await listApiTokens(team.admin.actor, team.project.id)).length).toBe(4);
  });

  it(`pages a project's secrets up to ${SECRETS_PAGE_MAX} at a time, past the cost check, and refuses more`, async () => {
    const query = "query($s: String!, $n: Int) { project(slug: $s) { secrets(first: $n) { edges { node { name hint version } } } } }";
    const most = await gql(team.admin.actor, query, { s: team.slug, n: SECRETS_PAGE_MAX });
    expect(most.errors).toBeUndefined();
    expect((most.data as any).project.secrets.edges.map((e: any) => e.node.name)).toEqual(["PAGED", "UNUSED_A", "UNUSED_B", "UNUSED_C"]);
    const more = await gql(team.admin.actor, query, { s: team.slug, n: SECRETS_PAGE_MAX + 1 });
    expect(codeOf(more)).toBe("BAD_USER_INPUT");
    expect(more.errors![0].message).toBe(`first must be at most ${SECRETS_PAGE_MAX}`);
  });
});
