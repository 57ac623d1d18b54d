import { z } from "zod";
import { deniedVariableReason } from "./denied-variables.mjs";
import { parseTemplate, TemplateError } from "./placeholders";

// Field rules shared by the consumer use cases. Messages never contain a template's text.

export const consumerName = z
  .string({ error: "Consumer name is required" })
  .trim()
  .min(1, "Consumer name is required")
  .max(100, "Consumer name must be at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Consumer names use letters, digits, spaces, dots, dashes and underscores");

export const templateInput = z.object({
  variable: z
    .string({ error: "Variable is required" })
    .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "Variables are environment variable or header names")
    .max(256, "Variable names must be at most 256 characters"),
  template: z.string().max(16 * 1024, "A template must be at most 16 KiB"),
});

export const templatesInput = z
  .array(templateInput)
  .max(200, "At most 200 templates per consumer")
  .superRefine((templates, ctx) => {
    const seen = new Set<string>();
    for (const [i, t] of templates.entries()) {
      if (seen.has(t.variable)) ctx.addIssue({ code: "custom", path: [i, "variable"], message: `${t.variable} appears twice` });
      const denied = deniedVariableReason(t.variable);
      if (denied) ctx.addIssue({ code: "custom", path: [i, "variable"], message: denied });
      seen.add(t.variable);
      try {
        parseTemplate(t.template);
      } catch (error) {
        if (error instanceof TemplateError) ctx.addIssue({ code: "custom", path: [i, "template"], message: `${t.variable}: ${error.message}` });
        else throw error;
      }
    }
  });

export const CONSUMER_KINDS = ["AGENT", "TASK_TEMPLATE", "INTEGRATION_CREDENTIAL"] as const;
export const consumerKind = z.enum(CONSUMER_KINDS, { error: "Kind must be AGENT, TASK_TEMPLATE or INTEGRATION_CREDENTIAL" });
