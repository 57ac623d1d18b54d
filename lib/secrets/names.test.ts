import { describe, expect, it } from "vitest";
import { nameProblem, suggestName } from "./names";

describe("secret names", () => {
  it("accepts environment-variable names", () => {
    for (const ok of ["A", "_", "_PRIVATE", "OPENAI_API_KEY", "K2", "A".repeat(256)]) expect(nameProblem(ok)).toBeNull();
  });

  it("requires a name", () => {
    expect(nameProblem("")).toBe("Secret key is required");
    expect(nameProblem("   ")).toBe("Secret key is required");
  });

  it("refuses other forms and suggests the valid one", () => {
    expect(nameProblem("stripe-key")).toContain("Did you mean STRIPE_KEY?");
    expect(suggestName("stripe-key")).toBe("STRIPE_KEY");
    expect(suggestName("openaiApiKey")).toBe("OPENAI_API_KEY");
    expect(suggestName("2fa.code")).toBe("_2FA_CODE");
    expect(suggestName("my key ")).toBe("MY_KEY");
    expect(suggestName("café-token")).toBe("CAFE_TOKEN");
    expect(nameProblem("9LIVES")).toContain("Did you mean _9LIVES?");
  });

  it("limits names to 256 characters", () => {
    expect(nameProblem("A".repeat(257))).toBe("Secret key must be at most 256 characters");
  });
});
