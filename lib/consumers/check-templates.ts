import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { assertCan } from "../authz";
import { db } from "../db/client";
import { parseInput } from "../validation";
import { consumerWithAccess } from "./consumer-dto";
import { templatesInput } from "./inputs";
import { placeholderNames, TemplateError } from "./placeholders";

const input = z.object({
  consumerId: z.string(),
  allowAllSecrets: z.boolean(),
  templates: z.array(z.object({ variable: z.string().max(256), template: z.string().max(16 * 1024) })).max(200, "At most 200 templates per consumer"),
});

export type CheckTemplatesInput = z.input<typeof input>;
export interface TemplateProblem {
  index: number;
  field: "variable" | "template";
  message: string;
}

// What saving these templates would be refused for, and what would make the consumer's next
// resolution fail (unknown secrets, secrets not attached unless all are allowed), each with the
// server's own message, before anything is saved. Writes nothing; messages name secrets and
// variables, never a template's text.
export async function checkConsumerTemplates(actor: Actor | null, raw: CheckTemplatesInput): Promise<TemplateProblem[]> {
  const data = parseInput(input, raw);
  const { consumer, access } = await consumerWithAccess(actor, data.consumerId);
  assertCan(access, "secrets:manage");
  const problems: TemplateProblem[] = [];
  const parsed = templatesInput.safeParse(data.templates);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [index, field] = issue.path as [number, string];
      problems.push({ index: typeof index === "number" ? index : 0, field: field === "variable" ? "variable" : "template", message: issue.message });
    }
  }
  const referenced = data.templates.map((t) => {
    try {
      return placeholderNames(t.template);
    } catch (error) {
      if (error instanceof TemplateError) return [];
      throw error;
    }
  });
  const all = [...new Set(referenced.flat())];
  const known = new Set(
    all.length ? (await db().secret.findMany({ where: { projectId: consumer.projectId, name: { in: all } }, select: { name: true } })).map((s) => s.name) : [],
  );
  const attached = new Set(consumer.attachments.map((a) => a.secretName));
  referenced.forEach((names, index) => {
    for (const name of names) {
      if (!known.has(name)) problems.push({ index, field: "template", message: `{{${name}}}: there is no secret named ${name} in this project` });
      else if (!data.allowAllSecrets && !attached.has(name)) {
        problems.push({ index, field: "template", message: `{{${name}}}: ${name} is not attached to ${consumer.name}; tick it under Secrets or allow all secrets` });
      }
    }
  });
  return problems.sort((a, b) => a.index - b.index);
}
