// With introspection off in production, the API must not describe its schema some other way:
// no "Did you mean …?" suggestions (validation or variable coercion), and the queries that describe
// the vault (storage locations, presets) answer signed-in callers only.
import { describe, expect, it } from "vitest";
import { newUser } from "../test/fixtures";
import { codeOf, gql } from "../test/graphql";

describe("the schema is not disclosed through errors", () => {
  it("suggests no field for a misspelled one", async () => {
    const { actor } = await newUser();
    const result = await gql(actor, "{ viewr { id } projects { slgu } }");
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.errors!.map((e) => e.message)).toEqual(['Cannot query field "…" on type "Query".', 'Cannot query field "…" on type "Project".']);
    expect(result.raw).not.toMatch(/did you mean|viewer|"slug"/i);
  });

  it("suggests no input field or enum value when variables are coerced", async () => {
    const { actor } = await newUser();
    const mutation = "mutation($i: CreateSecretInput!) { createSecret(input: $i) { id } }";
    const field = await gql(actor, mutation, { i: { projectSlug: "x", nmae: "A", value: "v" } });
    const value = await gql(actor, mutation, { i: { projectSlug: "x", name: "A", value: "v", storage: "SMS" } });
    for (const r of [field, value]) {
      expect(codeOf(r)).toBe("BAD_USER_INPUT");
      expect(r.raw).not.toMatch(/did you mean/i);
    }
    expect(field.raw).not.toContain('"name"');
    expect(value.raw).not.toContain("SSM");
  });
});

describe("queries that describe the vault need a signed-in caller", () => {
  for (const query of ["{ storageLocations { storage } }", "{ secretPresets { id } }"]) {
    it(`${query} answers UNAUTHENTICATED to anonymous callers, and data to users`, async () => {
      const anonymous = await gql(null, query);
      expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
      expect(anonymous.data).toBeNull();
      const { actor } = await newUser();
      const signedIn = await gql(actor, query);
      expect(signedIn.errors).toBeUndefined();
      expect(Object.values(signedIn.data as Record<string, unknown[]>)[0].length).toBeGreaterThan(0);
    });
  }
});
