import { afterAll, describe, expect, it } from "vitest";
import { captureLogs } from "../test/canary";
import { gql } from "../test/graphql";

describe("request log", () => {
  const logs = captureLogs();
  afterAll(() => logs.restore());

  it("writes one JSON line per operation with its name, duration and the codes clients saw, never variables", async () => {
    await gql(null, "query Who { viewer { id } }");
    await gql(null, "query Bad($n: Boolean!) { viewer @include(if: $n) { id } }", { n: "CANARY_request_log" });
    const lines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "graphql");
    expect(lines.map((l) => [l.operation, l.errorCodes])).toEqual([
      ["Who", ["UNAUTHENTICATED"]],
      ["Bad", ["BAD_USER_INPUT"]],
    ]);
    expect(typeof lines[0].durationMs).toBe("number");
    expect(logs.lines.join("\n")).not.toContain("CANARY_request_log");
  });
});
