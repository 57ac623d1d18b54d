import { describe, expect, it } from "vitest";
import { graphql } from "./generated/client";
import { codeOf, gql } from "../test/graphql";
import { newUser } from "../test/fixtures";

const Viewer = graphql(`
  query Viewer {
    viewer {
      id
      email
      kind
    }
  }
`);

describe("viewer", () => {
  it("answers UNAUTHENTICATED without a session", async () => {
    const result = await gql(null, Viewer);
    expect(codeOf(result)).toBe("UNAUTHENTICATED");
    expect(result.data).toBeNull();
  });

  it("returns the signed-in user", async () => {
    const { actor, email } = await newUser();
    const result = await gql(actor, Viewer);
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toMatchObject({ email, kind: "USER" });
  });

  it("never echoes a mistyped variable's value in the error", async () => {
    const { actor } = await newUser();
    const leak = "CANARY_should_not_echo_7f3a";
    const result = await gql(actor, "query ($n: Boolean!) { viewer @include(if: $n) { id } }", { n: leak });
    expect(codeOf(result)).toBe("BAD_USER_INPUT");
    expect(result.raw).not.toContain(leak);
  });

  it("never echoes a mistyped literal in a validation error", async () => {
    const leak = "CANARY_literal_9b1c";
    const result = await gql(null, `query { viewer(x: "${leak}") { id } }`);
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(result.raw).not.toContain(leak);
  });
});
