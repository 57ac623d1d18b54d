// `{{NAME}}` placeholders in templates (environment values, headers, instructions). Pure.
// - `{{ NAME }}`: whitespace inside the braces is tolerated.
// - `\{{` is a literal `{{` (the escape), so `\{{NAME}}` renders as `{{NAME}}`.
// - Rendering is one pass over the template: a resolved value is never scanned again, so a value
//   that contains `{{X}}` stays literal.
import { NAME_PATTERN } from "../secrets/names";

export type Token = { literal: string } | { name: string };

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

export function parseTemplate(template: string): Token[] {
  const tokens: Token[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("\\{{", i)) {
      literal += "{{";
      i += 3;
    } else if (template.startsWith("{{", i)) {
      const end = template.indexOf("}}", i + 2);
      if (end === -1) throw new TemplateError(`Unclosed placeholder at character ${i + 1}: close it with }} or write \\{{ for a literal {{`);
      const name = template.slice(i + 2, end).trim();
      if (!NAME_PATTERN.test(name)) {
        throw new TemplateError(`Placeholder at character ${i + 1} must name a secret (^[A-Z_][A-Z0-9_]*$), like {{MY_API_TOKEN}}`);
      }
      if (literal) tokens.push({ literal });
      literal = "";
      tokens.push({ name });
      i = end + 2;
    } else {
      literal += template[i];
      i += 1;
    }
  }
  if (literal) tokens.push({ literal });
  return tokens;
}

export const placeholderNames = (template: string) => [
  ...new Set(parseTemplate(template).flatMap((t) => ("name" in t ? [t.name] : []))),
];

export function renderTemplate(template: string, values: ReadonlyMap<string, string>): string {
  return parseTemplate(template)
    .map((t) => {
      if ("literal" in t) return t.literal;
      const value = values.get(t.name);
      if (value === undefined) throw new TemplateError(`No value for {{${t.name}}}`);
      return value;
    })
    .join("");
}

export type Segment = { text: string; kind: "literal" | "escape" | "placeholder" | "invalid" };

// For highlighting as the person types: never throws, marks what parseTemplate would refuse
// (`invalid`) instead. The rules stay parseTemplate's; the server's message says why.
export function highlightTemplate(template: string): Segment[] {
  const out: Segment[] = [];
  const push = (text: string, kind: Segment["kind"]) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind && kind === "literal") last.text += text;
    else out.push({ text, kind });
  };
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("\\{{", i)) {
      push("\\{{", "escape");
      i += 3;
    } else if (template.startsWith("{{", i)) {
      const end = template.indexOf("}}", i + 2);
      if (end === -1) {
        push(template.slice(i), "invalid");
        break;
      }
      const text = template.slice(i, end + 2);
      push(text, NAME_PATTERN.test(text.slice(2, -2).trim()) ? "placeholder" : "invalid");
      i = end + 2;
    } else {
      push(template[i], "literal");
      i += 1;
    }
  }
  return out;
}
