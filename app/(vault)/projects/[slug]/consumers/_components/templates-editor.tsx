"use client";

import { useEffect, useState, useTransition } from "react";
import { highlightTemplate } from "@/lib/consumers/placeholders";
import { FieldError } from "../../_components/dialog";
import { checkTemplatesAction, updateConsumerAction } from "../actions";
import { INSTRUCTIONS_VARIABLE, type ConsumerView, type TemplateView } from "./types";

type Problem = { index: number; field: "variable" | "template"; message: string };

// The template as typed, with {{NAME}} placeholders, escapes and refused braces marked.
function Highlighted({ text }: { text: string }) {
  return (
    <div className="template-preview mono" aria-hidden="true">
      {highlightTemplate(text).map((s, i) =>
        s.kind === "literal" ? <span key={i}>{s.text}</span> : <mark key={i} className={`ph-${s.kind}`}>{s.text}</mark>,
      )}
    </div>
  );
}

const ESCAPE_HELP = "Write {{NAME}} to insert a secret at run time; write \\{{ for a literal {{.";

// Templates (and an agent's instructions), checked by the server's own rules as you type: what
// saving would refuse, and what would make the next run fail. Nothing is saved until Save.
export function TemplatesEditor({ slug, consumer, canManage }: { slug: string; consumer: ConsumerView; canManage: boolean }) {
  const agent = consumer.kind === "AGENT";
  const credential = consumer.kind === "INTEGRATION_CREDENTIAL";
  const [rows, setRows] = useState<TemplateView[]>(consumer.templates.filter((t) => !agent || t.variable !== INSTRUCTIONS_VARIABLE));
  const [instructions, setInstructions] = useState(consumer.templates.find((t) => agent && t.variable === INSTRUCTIONS_VARIABLE)?.template ?? "");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const all: TemplateView[] = [...rows, ...(agent && instructions ? [{ variable: INSTRUCTIONS_VARIABLE, template: instructions }] : [])];
  const key = JSON.stringify([all, consumer.allowAllSecrets, consumer.attachments.map((a) => a.secretName)]);

  useEffect(() => {
    if (!canManage) return;
    let live = true;
    setChecking(true);
    const t = setTimeout(() => {
      const [templates, allowAllSecrets] = JSON.parse(key) as [TemplateView[], boolean];
      checkTemplatesAction({ consumerId: consumer.id, allowAllSecrets, templates }).then((r) => {
        if (!live) return;
        setChecking(false);
        if (r.ok) setProblems(r.data!);
        else setError(r.error);
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key, consumer.id, canManage]);

  const problemsAt = (index: number) => problems.filter((p) => p.index === index);
  const set = (i: number, patch: Partial<TemplateView>) => {
    setNotice(null);
    setRows((r) => r.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  };
  const save = () =>
    start(async () => {
      const r = await updateConsumerAction(slug, { id: consumer.id, templates: all });
      setError(r.ok ? null : r.error);
      setNotice(r.ok ? "Templates saved" : null);
    });

  if (!canManage) {
    return all.length === 0 ? (
      <p className="muted">No templates.</p>
    ) : (
      <dl className="templates-readonly">
        {all.map((t) => (
          <div key={t.variable}>
            <dt className="mono">{t.variable}</dt>
            <dd>
              <Highlighted text={t.template} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }

  const instructionsIndex = rows.length;
  return (
    <div className="templates-editor">
      <p className="muted" id="template-help">
        {credential ? "The headers or fields this credential sends, like Authorization: Bearer {{MY_API_TOKEN}}. " : ""}
        {ESCAPE_HELP} {consumer.allowAllSecrets ? "This consumer may name any secret of the project." : "Only ticked secrets may be named, unless all secrets are allowed."}
      </p>
      {rows.map((row, i) => {
        const here = problemsAt(i);
        return (
          <fieldset key={i} className="template-row" aria-label={`Template ${i + 1}`}>
            <div className="field">
              <label htmlFor={`tpl-var-${i}`}>{credential ? "Header or field" : "Variable"}</label>
              <input
                id={`tpl-var-${i}`}
                className="mono"
                value={row.variable}
                autoComplete="off"
                spellCheck={false}
                placeholder={credential ? "Authorization" : "DATABASE_URL"}
                aria-invalid={here.some((p) => p.field === "variable")}
                aria-describedby={`tpl-err-${i}`}
                onChange={(e) => set(i, { variable: e.target.value })}
              />
            </div>
            <div className="field grow">
              <label htmlFor={`tpl-text-${i}`}>Template</label>
              <textarea
                id={`tpl-text-${i}`}
                className="mono"
                rows={2}
                value={row.template}
                spellCheck={false}
                placeholder={credential ? "Bearer {{MY_API_TOKEN}}" : "postgres://app:{{DB_PASSWORD}}@db/app"}
                aria-invalid={here.some((p) => p.field === "template")}
                aria-describedby={`template-help tpl-err-${i}`}
                onChange={(e) => set(i, { template: e.target.value })}
              />
              <Highlighted text={row.template} />
            </div>
            <button type="button" className="link" onClick={() => setRows((r) => r.filter((_, j) => j !== i))} aria-label={`Remove template ${row.variable || i + 1}`}>
              Remove
            </button>
            <div id={`tpl-err-${i}`}>
              {here.map((p, k) => (
                <p key={k} className="error" role="alert">
                  {p.message}
                </p>
              ))}
            </div>
          </fieldset>
        );
      })}
      <button type="button" onClick={() => setRows((r) => [...r, { variable: "", template: "" }])}>
        {credential ? "Add header or field" : "Add template"}
      </button>
      {agent ? (
        <div className="field instructions">
          <label htmlFor="agent-instructions">Agent instructions</label>
          <p className="warning" id="instructions-warning" role="note">
            Placeholders in instructions are resolved before the text is sent to the model: only reference secrets that are safe for the model to see.
          </p>
          <textarea
            id="agent-instructions"
            className="mono"
            rows={5}
            value={instructions}
            spellCheck={false}
            aria-describedby={`instructions-warning template-help instructions-error`}
            onChange={(e) => {
              setNotice(null);
              setInstructions(e.target.value);
            }}
          />
          <Highlighted text={instructions} />
          <div id="instructions-error">
            {problemsAt(instructionsIndex).map((p, k) => (
              <p key={k} className="error" role="alert">
                {p.message}
              </p>
            ))}
          </div>
        </div>
      ) : null}
      <FieldError id="templates-error" message={error} />
      <div className="dialog-actions start">
        <button type="button" className="primary" disabled={pending || checking || problems.length > 0} onClick={save}>
          {pending ? "Saving…" : "Save templates"}
        </button>
        {problems.length ? <span className="muted">Fix the problems above to save.</span> : null}
        {notice ? (
          <span className="notice" role="status">
            {notice}
          </span>
        ) : null}
      </div>
    </div>
  );
}
