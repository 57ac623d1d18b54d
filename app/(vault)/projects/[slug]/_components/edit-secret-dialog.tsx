"use client";

import { useEffect, useState, useTransition, type FormEvent } from "react";
import { secretDetailsAction, updateSecretAction } from "../actions";
import { Dialog, FieldError } from "./dialog";
import type { SecretRowView } from "./secrets-table";

type Details = { versions: { version: number; createdAt: string; createdBy: string | null }[]; consumers: { name: string; lastResolvedAt: string | null }[] };

export function EditSecretDialog({ slug, row, onClose, onDone }: { slug: string; row: SecretRowView; onClose: () => void; onDone: (m: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [details, setDetails] = useState<Details | null>(null);
  useEffect(() => {
    secretDetailsAction(row.id).then((r) => r.ok && setDetails(r.data!));
  }, [row.id]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = String(data.get("value") ?? "");
    const description = String(data.get("description") ?? "");
    const type = String(data.get("type") ?? "");
    if (!value && description === row.description && type === row.type) {
      setError("No changes to save");
      return;
    }
    start(async () => {
      const result = await updateSecretAction(slug, { id: row.id, value: value || null, description, type, expectedVersion: row.version });
      if (result.ok) onDone(`Updated ${row.name}${value ? `: now version ${result.data!.version}` : ""}`);
      else setError(result.error);
    });
  }

  return (
    <Dialog title={`Edit ${row.name}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="edit-name">Secret Key</label>
          <input id="edit-name" className="mono" value={row.name} readOnly aria-readonly="true" />
        </div>
        <div className="field">
          <label htmlFor="edit-value">New Value (Optional)</label>
          <input id="edit-value" name="value" type="password" autoComplete="new-password" aria-describedby="edit-value-help" />
          <small id="edit-value-help" className="muted">
            Leave empty to keep the current value. The current value is never shown.
          </small>
        </div>
        <div className="field">
          <label htmlFor="edit-description">Description</label>
          <textarea id="edit-description" name="description" rows={2} maxLength={1000} defaultValue={row.description} />
        </div>
        <div className="field">
          <label htmlFor="edit-type">Type</label>
          <input id="edit-type" name="type" maxLength={100} defaultValue={row.type} />
        </div>
        <FieldError id="edit-error" message={error} />
        <section aria-label="Version history" className="history">
          <h3>Version history</h3>
          {!details ? (
            <p className="muted">Loading…</p>
          ) : (
            <ol>
              {details.versions.map((v) => (
                <li key={v.version}>
                  v{v.version} · {new Date(v.createdAt).toLocaleString("en-CA")} · {v.createdBy ?? "API token or operator"}
                </li>
              ))}
            </ol>
          )}
        </section>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            {pending ? "Saving…" : "Update Secret"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
