"use client";

import { useState, useTransition } from "react";
import { cloneSecretAction } from "../actions";
import { Dialog, FieldError, TargetProjectSelect } from "./dialog";
import type { SecretRowView, Target } from "./secret-types";

export function CloneDialog({ slug, row, targets, onClose, onDone }: { slug: string; row: SecretRowView; targets: Target[]; onClose: () => void; onDone: (m: string) => void }) {
  const [target, setTarget] = useState(targets[0]?.slug ?? "");
  const [clash, setClash] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (overwrite: boolean) =>
    start(async () => {
      const result = await cloneSecretAction(slug, { id: row.id, targetProjectSlug: target, overwrite });
      if (result.ok) return onDone(`Cloned ${row.name} to ${target}${overwrite ? ` (now version ${result.data!.version} there)` : ""}`);
      setClash(result.code === "CONFLICT");
      setError(result.error);
    });
  return (
    <Dialog title={`Clone ${row.name}`} onClose={onClose}>
      <p>Copies the key, value, description, type and metadata into another project where you can manage secrets.</p>
      <TargetProjectSelect
        id="clone-target"
        value={target}
        targets={targets}
        onChange={(slug) => {
          setTarget(slug);
          setClash(false);
          setError(null);
        }}
      />
      <FieldError id="clone-error" message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        {clash ? (
          <button type="button" className="danger" disabled={pending} onClick={() => run(true)}>
            Overwrite
          </button>
        ) : (
          <button type="button" className="primary" disabled={pending || !target} onClick={() => run(false)}>
            Confirm
          </button>
        )}
      </div>
    </Dialog>
  );
}
