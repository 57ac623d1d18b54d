import { describe, expect, it } from "vitest";
import { parseTemplate, placeholderNames, renderTemplate, TemplateError } from "./placeholders";

const values = new Map([
  ["DB_PASSWORD", "p@ss:w/rd"],
  ["TOKEN", "tok{{DB_PASSWORD}}en"],
  ["UNICODE", "ключ🔑"],
]);

describe("placeholders", () => {
  it("resolve {{NAME}} and tolerate whitespace inside the braces", () => {
    expect(renderTemplate("postgres://app:{{DB_PASSWORD}}@db/app", values)).toBe("postgres://app:p@ss:w/rd@db/app");
    expect(renderTemplate("Bearer {{ UNICODE }}", values)).toBe("Bearer ключ🔑");
    expect(renderTemplate("{{\tDB_PASSWORD\n}}", values)).toBe("p@ss:w/rd");
  });

  it("never re-scan a resolved value", () => {
    expect(renderTemplate("x={{TOKEN}}", values)).toBe("x=tok{{DB_PASSWORD}}en");
  });

  it("render \\{{ as a literal {{", () => {
    expect(renderTemplate("literal \\{{DB_PASSWORD}} and {{DB_PASSWORD}}", values)).toBe("literal {{DB_PASSWORD}} and p@ss:w/rd");
    expect(placeholderNames("\\{{NOT_A_REF}} {{TOKEN}}")).toEqual(["TOKEN"]);
  });

  it("leave single braces and text alone", () => {
    expect(renderTemplate('{"a": {"b": 1}} } {', values)).toBe('{"a": {"b": 1}} } {');
  });

  it("refuse malformed placeholders with the position, never a value", () => {
    expect(() => parseTemplate("abc {{DB_PASSWORD")).toThrow("Unclosed placeholder at character 5");
    expect(() => parseTemplate("{{lower}}")).toThrow(TemplateError);
    expect(() => parseTemplate("{{}}")).toThrow("must name a secret");
  });

  it("list each referenced name once", () => {
    expect(placeholderNames("{{A}}{{B}}{{ A }}")).toEqual(["A", "B"]);
  });
});
