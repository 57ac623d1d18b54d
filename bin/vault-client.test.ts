import { describe, expect, it } from "vitest";
import { parseDotenv } from "./vault-client.mjs";

describe("dotenv import parsing", () => {
  it("reads KEY=value lines, quotes, export and comments, and flags the rest by line", () => {
    const text = [
      "# comment",
      "",
      "PLAIN=value with spaces # trailing comment",
      'export QUOTED="a \\"b\\"\\nc"',
      "SINGLE='$literal #not a comment'",
      "not a pair",
      "lower-case=x",
      "EMPTY=",
    ].join("\n");
    expect(parseDotenv(text)).toEqual([
      { line: 3, name: "PLAIN", value: "value with spaces", problem: null },
      { line: 4, name: "QUOTED", value: 'a "b"\nc', problem: null },
      { line: 5, name: "SINGLE", value: "$literal #not a comment", problem: null },
      { line: 6, name: null, value: null, problem: "not KEY=value" },
      { line: 7, name: "lower-case", value: "x", problem: null },
      { line: 8, name: "EMPTY", value: "", problem: null },
    ]);
  });
});
