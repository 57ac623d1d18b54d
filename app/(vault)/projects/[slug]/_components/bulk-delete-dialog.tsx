"use client";

import { useEffect, useState, useTransition } from "react";
import { deleteSecretsAction, secretDetailsAction } from "../actions";
import { Dialog, FieldError } from "./dialog";

type Item = { id: string; name: string };
type Uses = Record<string, { name: string; kind: string }[]>;

// The single delete's confirmations, for many: every secret and the consumers it would break are
// listed, and the person types the phrase before anything is deleted.
export function BulkDeleteDialog({ slug, items, onClose, onDone }: { slug: string; items: Item[]; onClose: () => void; onDone: (m: string) => void }) {
  const [uses, setUses] = useState<Uses | null>(null);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const phrase = `delete ${items.length} secret${items.length === 1 ? "" : "s"}`;
  useEffect(() => {
    // If a check fails the secret is not forced, so the server refuses it rather than break a consumer.
    Promise.all(
      items.map(async (i) => {
        const r = await secretDetailsAction(i.id);
        return [i.name, r.ok ? r.data!.consumers : []] as const;
      }),
    ).then((all) => setUses(Object.fromEntries(all)));
  }, [items]);
  return (
    <Dialog title="Delete secrets" onClose={onClose} wide>
      <p>This permanently deletes these secrets and all their versions. It cannot be undone.</p>
      {!uses ? (
        <p className="muted">Checking who uses them…</p>
      ) : (
        <ul className="bulk-list" aria-label="Secrets to delete">
          {items.map((i) => (
            <li key={i.id}>
              <span className="mono">{i.name}</span>
              {uses[i.name]?.length ? (
                <span className="warning-inline"> used by {uses[i.name].map((c) => c.name).join(", ")}: their next run will fail</span>
              ) : (
                <span className="muted"> no consumer uses it</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor="bulk-confirm">
          Type <span className="mono">{phrase}</span> to confirm
        </label>
        <input id="bulk-confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      </div>
      <FieldError id="bulk-error" message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={typed !== phrase || pending || !uses}
          onClick={() =>
            start(async () => {
              const results = await deleteSecretsAction(
                slug,
                items.map((i) => ({ ...i, force: (uses?.[i.name]?.length ?? 0) > 0 })),
              );
              const failed = results.filter((r) => !r.ok);
              if (failed.length) setError(failed.map((f) => `${f.name}: ${f.error}`).join("; "));
              else onDone(`Deleted ${results.length} secret${results.length === 1 ? "" : "s"}`);
            })
          }
        >
          {pending ? "Deleting…" : "Delete"}
        </button>
      </div>
    </Dialog>
  );
}
