import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/authz";
import { addMember } from "@/lib/projects/members";
import { createSecret } from "@/lib/secrets/create-secret";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { gql } from "../test/graphql";
import { newTeam, newUser, uniq } from "../test/fixtures";

// Every operation × {no session, non-member, viewer, editor, admin, read token, manage token} ×
// {own project, other project}, through the GraphQL schema: the answer is OK, FORBIDDEN (member
// lacking the permission), NOT_FOUND / NULL (cannot see the project) or UNAUTHENTICATED.

type Team = Awaited<ReturnType<typeof newTeam>>;
type Outcome = "OK" | "NULL" | "FORBIDDEN" | "NOT_FOUND" | "UNAUTHENTICATED" | "BAD_USER_INPUT";

interface Operation {
  name: string;
  needs: Permission;
  // Reads go through project(slug), which is null for projects the caller cannot see.
  read?: boolean;
  // API tokens cannot reach a second project (clone target).
  crossProject?: boolean;
  run(actor: Actor | null, team: Team): Promise<Outcome>;
}

async function outcome(actor: Actor | null, query: string, variables: Record<string, unknown>, pick: (data: any) => unknown): Promise<Outcome> {
  const r = await gql(actor, query, variables);
  if (r.errors?.length) return r.errors[0].extensions!.code as Outcome;
  return pick(r.data) === null ? "NULL" : "OK";
}

const secretIn = async (team: Team) => createSecret(OPERATOR, { projectSlug: team.slug, name: uniq("S").toUpperCase().replace(/-/g, "_"), value: "matrix-value" });

let sink: Team;

const operations: Operation[] = [
  {
    name: "project",
    needs: "secrets:read",
    read: true,
    run: (a, t) => outcome(a, "query($s:String!){project(slug:$s){id viewerPermissions}}", { s: t.slug }, (d) => d.project),
  },
  {
    name: "list secrets",
    needs: "secrets:read",
    read: true,
    run: (a, t) => outcome(a, "query($s:String!){project(slug:$s){secrets(first:5){edges{node{name hint}} pageInfo{hasNextPage}}}}", { s: t.slug }, (d) => d.project),
  },
  {
    name: "secret versions",
    needs: "secrets:read",
    read: true,
    run: async (a, t) => {
      const s = await secretIn(t);
      return outcome(a, "query($s:String!,$n:String!){project(slug:$s){secret(name:$n){versions{version}}}}", { s: t.slug, n: s.name }, (d) => d.project);
    },
  },
  {
    name: "members",
    needs: "secrets:read",
    read: true,
    run: (a, t) => outcome(a, "query($s:String!){project(slug:$s){members{role}}}", { s: t.slug }, (d) => d.project),
  },
  {
    name: "createSecret",
    needs: "secrets:manage",
    run: (a, t) =>
      outcome(a, "mutation($i:CreateSecretInput!){createSecret(input:$i){id}}", { i: { projectSlug: t.slug, name: uniq("N").toUpperCase().replace(/-/g, "_"), value: "v" } }, (d) => d.createSecret),
  },
  {
    name: "updateSecret",
    needs: "secrets:manage",
    run: async (a, t) => {
      const s = await secretIn(t);
      return outcome(a, "mutation($i:UpdateSecretInput!){updateSecret(input:$i){id}}", { i: { id: s.id, value: "new" } }, (d) => d.updateSecret);
    },
  },
  {
    name: "deleteSecret",
    needs: "secrets:manage",
    run: async (a, t) => {
      const s = await secretIn(t);
      return outcome(a, "mutation($i:DeleteSecretInput!){deleteSecret(input:$i){id}}", { i: { id: s.id, confirmName: s.name } }, (d) => d.deleteSecret);
    },
  },
  {
    name: "cloneSecret",
    needs: "secrets:manage",
    crossProject: true,
    run: async (a, t) => {
      const s = await secretIn(t);
      return outcome(a, "mutation($i:CloneSecretInput!){cloneSecret(input:$i){id}}", { i: { id: s.id, targetProjectSlug: sink.slug } }, (d) => d.cloneSecret);
    },
  },
  {
    name: "cloneSecrets",
    needs: "secrets:manage",
    crossProject: true,
    run: async (a, t) => {
      const s = await secretIn(t);
      return outcome(
        a,
        "mutation($i:CloneSecretsInput!){cloneSecrets(input:$i){applied}}",
        { i: { sourceProjectSlug: t.slug, targetProjectSlug: sink.slug, names: [s.name] } },
        (d) => d.cloneSecrets,
      );
    },
  },
  {
    name: "addMember",
    needs: "members:manage",
    run: async (a, t) => {
      const u = await newUser();
      return outcome(a, "mutation($i:MemberInput!){addMember(input:$i){id}}", { i: { projectSlug: t.slug, email: u.email, role: "viewer" } }, (d) => d.addMember);
    },
  },
  {
    name: "removeMember",
    needs: "members:manage",
    run: async (a, t) => {
      const u = await newUser();
      await addMember(OPERATOR, { projectSlug: t.slug, email: u.email, role: "viewer" });
      return outcome(a, "mutation($i:RemoveMemberInput!){removeMember(input:$i)}", { i: { projectSlug: t.slug, email: u.email } }, (d) => d.removeMember);
    },
  },
  {
    name: "createApiToken",
    needs: "tokens:manage",
    run: (a, t) =>
      outcome(a, "mutation($i:CreateApiTokenInput!){createApiToken(input:$i){apiToken{id}}}", { i: { projectSlug: t.slug, name: "m", scopes: ["secrets:read"] } }, (d) => d.createApiToken),
  },
  {
    name: "revokeApiToken",
    needs: "tokens:manage",
    run: async (a, t) => {
      const { apiToken } = await createApiToken(OPERATOR, { projectSlug: t.slug, name: "to-revoke", scopes: ["secrets:read"] });
      return outcome(a, "mutation($id:ID!){revokeApiToken(id:$id){revokedAt}}", { id: apiToken.id }, (d) => d.revokeApiToken);
    },
  },
  {
    name: "apiTokens",
    needs: "tokens:manage",
    read: true,
    run: (a, t) => outcome(a, "query($s:String!){project(slug:$s){apiTokens{id}}}", { s: t.slug }, (d) => d.project),
  },
  {
    name: "auditEvents",
    needs: "audit:read",
    read: true,
    run: (a, t) => outcome(a, "query($s:String!){project(slug:$s){auditEvents(first:5){edges{node{action}}}}}", { s: t.slug }, (d) => d.project),
  },
];

const roles = {
  viewer: ["secrets:read"],
  editor: ["secrets:read", "secrets:manage"],
  admin: ["secrets:read", "secrets:manage", "members:manage", "tokens:manage", "audit:read"],
  readToken: ["secrets:read"],
  manageToken: ["secrets:read", "secrets:manage"],
} as const;
type Who = "none" | "nonMember" | keyof typeof roles;
const everyone: Who[] = ["none", "nonMember", "viewer", "editor", "admin", "readToken", "manageToken"];

function expected(who: Who, own: boolean, op: Operation): Outcome {
  if (who === "none") return "UNAUTHENTICATED";
  if (!own || who === "nonMember") return op.read ? "NULL" : "NOT_FOUND";
  if (!(roles[who] as readonly string[]).includes(op.needs)) return "FORBIDDEN";
  if (op.crossProject && who.endsWith("Token")) return "NOT_FOUND";
  return "OK";
}

let own: Team;
let other: Team;
beforeAll(async () => {
  [own, other, sink] = await Promise.all([newTeam(), newTeam(), newTeam()]);
  // Every person of `own` may manage secrets in the clone target.
  for (const p of [own.viewer, own.editor, own.admin]) await addMember(OPERATOR, { projectSlug: sink.slug, email: p.email, role: "editor" });
});

function actorOf(who: Who): Actor | null {
  switch (who) {
    case "none":
      return null;
    case "nonMember":
      return own.outsider.actor;
    case "readToken":
      return own.readToken.actor;
    case "manageToken":
      return own.manageToken.actor;
    default:
      return own[who].actor;
  }
}

describe("permission matrix", () => {
  for (const op of operations) {
    it(op.name, async () => {
      const got: string[] = [];
      const want: string[] = [];
      for (const who of everyone) {
        for (const isOwn of [true, false]) {
          const label = `${who} @ ${isOwn ? "own" : "other"}`;
          got.push(`${label}: ${await op.run(actorOf(who), isOwn ? own : other)}`);
          want.push(`${label}: ${expected(who, isOwn, op)}`);
        }
      }
      expect(got).toEqual(want);
    });
  }
});
