"use client";

import { useState, useTransition, type FormEvent } from "react";
import { updateSecretAction } from "../actions";
import { Dialog, FieldError } from "./dialog";
import type { SecretRowView } from "./secret-types";

// Rotate: a new value becomes a new version; runs started afterwards get it.
export function RotateDialog({ slug, row, onClose, onDone }: { slug: string; row: SecretRowView; onClose: () => void; onDone: (m: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("value") ?? "");
    if (!value) return setError("Secret value is required");
    start(async () => {
      const r = await updateSecretAction(slug, { id: row.id, value, expectedVersion: row.version });
      if (r.ok) onDone(`Rotated ${row.name}: now version ${r.data!.version}`);
      else setError(r.error);
    });
  }
  return (
    <Dialog title={`Rotate ${row.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>The new value becomes version {row.version + 1}. Runs started after this get it; running ones keep the old value until they finish.</p>
        <div className="field">
          <label htmlFor="rotate-value">New Value</label>
          <input id="rotate-value" name="value" type="password" autoComplete="new-password" aria-describedby="rotate-error" />
        </div>
        <FieldError id="rotate-error" message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            {pending ? "Rotating…" : "Rotate"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
