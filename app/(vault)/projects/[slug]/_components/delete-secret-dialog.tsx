"use client";

import { useEffect, useState, useTransition } from "react";
import { deleteSecretAction, secretDetailsAction } from "../actions";
import { Dialog, FieldError } from "./dialog";
import type { SecretRowView } from "./secret-types";

export function DeleteSecretDialog({ slug, row, onClose, onDone }: { slug: string; row: SecretRowView; onClose: () => void; onDone: (m: string) => void }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [consumers, setConsumers] = useState<{ name: string; kind: string; attached: boolean; templateVariables: string[] }[] | null>(null);
  useEffect(() => {
    secretDetailsAction(row.id).then((r) => setConsumers(r.ok ? r.data!.consumers : []));
  }, [row.id]);

  return (
    <Dialog title="Delete secret" onClose={onClose}>
      <p>
        This permanently deletes <strong className="mono">{row.name}</strong> and all its versions. It cannot be undone.
      </p>
      {consumers === null ? (
        <p className="muted">Checking who uses it…</p>
      ) : consumers.length ? (
        <div className="warning" role="note" aria-label="Consumers that will break">
          <p>These consumers use it and their next run will fail:</p>
          <ul>
            {consumers.map((c) => (
              <li key={c.name}>
                <span className="mono">{c.name}</span> ({c.kind.replace(/_/g, " ").toLowerCase()}
                {c.attached ? ", attached" : ""}
                {c.templateVariables.length ? `, named in ${c.templateVariables.join(", ")}` : ""})
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">No consumer uses it.</p>
      )}
      <div className="field">
        <label htmlFor="delete-confirm">
          Type <span className="mono">{row.name}</span> to confirm
        </label>
        <input id="delete-confirm" className="mono" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </div>
      <FieldError id="delete-error" message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={typed !== row.name || pending || consumers === null}
          onClick={() =>
            start(async () => {
              // The consumers listed above are the ones the person agreed to break.
              const result = await deleteSecretAction(slug, { id: row.id, confirmName: typed, force: (consumers?.length ?? 0) > 0 });
              if (result.ok) onDone(`Deleted ${row.name}`);
              else setError(result.error);
            })
          }
        >
          {pending ? "Deleting…" : "Delete"}
        </button>
      </div>
    </Dialog>
  );
}
