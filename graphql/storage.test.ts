import { beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./generated/client";
import { codeOf, gql } from "../test/graphql";
import { newTeam } from "../test/fixtures";
import { OPERATOR } from "../lib/auth/actor";
import { setEnvAllowlist } from "../lib/projects/set-env-allowlist";

const Locations = graphql(`
  query StorageLocations($projectSlug: String) {
    storageLocations(projectSlug: $projectSlug) {
      storage
      available
      default
    }
  }
`);

const Create = graphql(`
  mutation CreateStored($input: CreateSecretInput!) {
    createSecret(input: $input) {
      id
      storage
      referencePath
      hint
      version
    }
  }
`);

const Update = graphql(`
  mutation UpdateStored($input: UpdateSecretInput!) {
    updateSecret(input: $input) {
      storage
      referencePath
      version
    }
  }
`);

const Delete = graphql(`
  mutation DeleteStored($input: DeleteSecretInput!) {
    deleteSecret(input: $input) {
      name
    }
  }
`);

describe("the same GraphQL operations for every storage location", () => {
  let team: Awaited<ReturnType<typeof newTeam>>;
  beforeAll(async () => {
    team = await newTeam();
    await setEnvAllowlist(OPERATOR, { projectSlug: team.slug, entries: ["TEST_SECRET_GQL_*"] });
    process.env.TEST_SECRET_GQL_ONE = "env-value-one-123456";
    process.env.TEST_SECRET_GQL_TWO = "env-value-two-654321";
  });

  it("lists the locations this vault offers and its default; ENV only in a project allowed variables", async () => {
    const { data: anywhere } = await gql(team.viewer.actor, Locations);
    expect(anywhere!.storageLocations.find((l) => l.storage === "ENV")).toEqual({ storage: "ENV", available: false, default: false });
    const { data } = await gql(team.viewer.actor, Locations, { projectSlug: team.slug });
    expect(data!.storageLocations).toEqual([
      { storage: "DATABASE", available: true, default: true },
      { storage: "SSM", available: true, default: false },
      { storage: "ENV", available: true, default: false },
    ]);
  });

  for (const storage of ["DATABASE", "SSM", "ENV"] as const) {
    it(`create, edit and delete with storage ${storage}`, async () => {
      const name = `GQL_${storage}`;
      const created = await gql(team.editor.actor, Create, {
        input: { projectSlug: team.slug, name, storage, ...(storage === "ENV" ? { envVar: "TEST_SECRET_GQL_ONE" } : { value: "first-value-0123456" }) },
      });
      expect(created.errors?.[0]?.message).toBeUndefined();
      const secret = created.data!.createSecret;
      expect(secret.storage).toBe(storage);
      expect(secret.referencePath).toBe(
        storage === "DATABASE" ? null : storage === "SSM" ? `/vault/secrets/${team.project.id}/${name}` : "TEST_SECRET_GQL_ONE",
      );
      const updated = await gql(team.editor.actor, Update, {
        input: { id: secret.id, ...(storage === "ENV" ? { envVar: "TEST_SECRET_GQL_TWO" } : { value: "second-value-0123456" }), expectedVersion: 1 },
      });
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateSecret).toMatchObject({ storage, version: 2 });
      const deleted = await gql(team.editor.actor, Delete, { input: { id: secret.id, confirmName: name } });
      expect(deleted.data!.deleteSecret.name).toBe(name);
    });
  }

  it("refuses a value for an ENV secret", async () => {
    const r = await gql(team.editor.actor, Create, { input: { projectSlug: team.slug, name: "ENV_WITH_VALUE", storage: "ENV", envVar: "TEST_SECRET_GQL_ONE", value: "x" } });
    expect(codeOf(r)).toBe("BAD_USER_INPUT");
  });
});
