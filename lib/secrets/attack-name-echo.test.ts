// Attack: a credential pasted into the Secret key field comes back, upper-cased, in the "Did you
// mean …?" suggestion, and so on screen, in the server's answer and wherever errors are shown.
import { describe, expect, it } from "vitest";
import { nameProblem } from "./names";

describe("the name suggestion", () => {
  it("never echoes something that looks like a credential pasted into the name field", () => {
    const pasted = ["ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5", "sk-proj-abc123def456", "xoxb-1234-5678-abcdEFGH", "AKIAiosfodnn7example", "a".repeat(33)];
    for (const value of pasted) {
      const message = nameProblem(value)!;
      expect(message).not.toContain("Did you mean");
      expect(message.toUpperCase()).not.toContain(value.toUpperCase().replace(/[^A-Z0-9]+/g, "_").slice(0, 12));
    }
  });


  it("is still offered for short inputs that look like names", () => {
    expect(nameProblem("stripe-key")).toContain("Did you mean STRIPE_KEY?");
    expect(nameProblem("openaiApiKey")).toContain("Did you mean OPENAI_API_KEY?");
    expect(nameProblem("2fa.code")).toContain("Did you mean _2FA_CODE?");
  });
});
