import { describe, expect, it } from "vitest";
import { computeHint, HINT_MASK } from "./hint";

describe("masked hints", () => {
  const alphabet = "abcdefghijklmnopqrstuvwxyz";
  for (let length = 0; length <= 24; length++) {
    it(`for a value of ${length} characters`, () => {
      const value = alphabet.slice(0, length);
      const hint = computeHint(value);
      if (length < 16) {
        expect(hint).toBe(HINT_MASK);
      } else {
        expect(hint).toBe(`${value.slice(0, 4)}${HINT_MASK}${value.slice(-4)}`);
        expect(hint.length).toBe(4 + HINT_MASK.length + 4);
      }
      if (length > 8) expect(hint).not.toContain(value.slice(4, -4));
    });
  }

  it("never reveals the length: every long value gives a hint of the same length", () => {
    const lengths = new Set([16, 17, 40, 1000, 65536].map((n) => computeHint("x".repeat(n)).length));
    expect(lengths.size).toBe(1);
  });

  it("counts characters, not UTF-16 units, and never splits a code point", () => {
    const value = "🔑🔑🔑🔑" + "é".repeat(10) + "日本語🗝";
    expect(computeHint(value)).toBe(`🔑🔑🔑🔑${HINT_MASK}日本語🗝`);
  });

  it("never includes control or invisible characters", () => {
    const hint = computeHint("\u0000\u001b[2J" + "x".repeat(20) + "\u200b\n\r\t");
    expect(hint).not.toMatch(/[\p{C}\n\r\t]/u);
    expect(hint.startsWith("••")).toBe(true);
  });
});
