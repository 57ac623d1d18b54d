import { afterEach, describe, expect, it } from "vitest";
import { log, redact, REDACTED, setLogSink } from "./log";

describe("structured logs", () => {
  let restore = () => {};
  afterEach(() => restore());

  it("write one JSON object per line and drop fields named like values, tokens, passwords or keys", () => {
    const lines: string[] = [];
    restore = setLogSink((l) => lines.push(l), "debug");
    log.info("secret.create", {
      secretName: "STRIPE_KEY",
      value: "sk_live_abc",
      nested: { apiToken: "vlt_x", password: "hunter2", list: [{ privateKey: "k" }] },
      authorization: "Bearer t",
      keyId: "abcd",
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: "info", msg: "secret.create", secretName: "STRIPE_KEY", keyId: "abcd" });
    expect(entry.value).toBe(REDACTED);
    expect(entry.authorization).toBe(REDACTED);
    expect(entry.nested.apiToken).toBe(REDACTED);
    expect(entry.nested.password).toBe(REDACTED);
    expect(entry.nested.list[0].privateKey).toBe(REDACTED);
    for (const leaked of ["sk_live_abc", "vlt_x", "hunter2", "Bearer t"]) expect(lines[0]).not.toContain(leaked);
  });

  it("respects the level threshold", () => {
    const lines: string[] = [];
    restore = setLogSink((l) => lines.push(l), "warn");
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["loud"]);
  });

  it("reduces errors to name and message", () => {
    expect(redact({ error: new TypeError("boom") })).toEqual({ error: { name: "TypeError", message: "boom" } });
  });
});
