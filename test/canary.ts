import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { db } from "../lib/db/client";
import { setLogSink } from "../lib/log";

// A value that must never be seen again once stored: not in any response, error, log line or
// audit row. Tests create secrets with it and then look for it everywhere they can reach.
export function canaryValue() {
  return `CANARY_${randomBytes(16).toString("hex")}`;
}

export function captureLogs() {
  const lines: string[] = [];
  const restore = setLogSink((line) => lines.push(line), "debug");
  return { lines, restore };
}

export function expectNoCanary(canary: string, ...haystacks: unknown[]) {
  for (const h of haystacks) {
    const text = typeof h === "string" ? h : JSON.stringify(h, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    // The failure message shows where, with the canary itself masked: test output is no exception.
    const at = text.indexOf(canary);
    const where = at < 0 ? "" : text.slice(Math.max(0, at - 300), at + canary.length + 80).split(canary).join("<CANARY>");
    expect(at, `the canary value leaked in: ${where}`).toBe(-1);
    // Nor its base64 or hex forms.
    expect(text.includes(Buffer.from(canary).toString("base64"))).toBe(false);
    expect(text.includes(Buffer.from(canary).toString("hex"))).toBe(false);
  }
}

export async function auditRowsText() {
  const rows = await db().auditEvent.findMany();
  return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}
