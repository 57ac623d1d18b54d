"use client";

import { useState, useTransition } from "react";
import { cloneManyAction } from "../actions";
import { Dialog, FieldError, TargetProjectSelect } from "./dialog";
import type { Target } from "./secret-types";

type Result = { name: string; outcome: "CREATED" | "OVERWRITTEN" | "REFUSED"; reason: string | null };

interface Props {
  slug: string;
  names: string[] | null;
  search: string | null;
  count: number;
  targets: Target[];
  onClose: () => void;
  onDone: (m: string) => void;
}

// Select → target → a summary of what will be created, overwritten or refused → Confirm → results.
export function CloneManyDialog({ slug, names, search, count, targets, onClose, onDone }: Props) {
  const [target, setTarget] = useState(targets[0]?.slug ?? "");
  const [overwrite, setOverwrite] = useState(false);
  const [preview, setPreview] = useState<Result[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const call = (dryRun: boolean) =>
    start(async () => {
      setError(null);
      const result = await cloneManyAction(slug, { targetProjectSlug: target, names, search, overwrite, dryRun });
      if (!result.ok) return setError(result.error);
      const { applied, results } = result.data!;
      if (applied) {
        const created = results.filter((r) => r.outcome === "CREATED").length;
        const overwritten = results.filter((r) => r.outcome === "OVERWRITTEN").length;
        return onDone(`Cloned ${results.length} secret(s) to ${target}: ${created} created, ${overwritten} overwritten`);
      }
      setPreview(results);
    });
  const tally = (o: Result["outcome"]) => preview?.filter((r) => r.outcome === o).length ?? 0;

  return (
    <Dialog title="Clone secrets" onClose={onClose} wide>
      <p>
        {count} secret{count === 1 ? "" : "s"} selected{search ? ` (all matching “${search}”)` : ""}. All of them are cloned, or none.
      </p>
      <TargetProjectSelect
        id="clone-many-target"
        value={target}
        targets={targets}
        onChange={(slug) => {
          setTarget(slug);
          setPreview(null);
        }}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={overwrite}
          onChange={(e) => {
            setOverwrite(e.target.checked);
            setPreview(null);
          }}
        />{" "}
        Overwrite secrets that already exist in the target (they become a new version)
      </label>
      {preview ? (
        <section aria-label="Clone summary">
          <p role="status">
            {tally("CREATED")} will be created, {tally("OVERWRITTEN")} overwritten, {tally("REFUSED")} refused
          </p>
          <div className="table-wrap short">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {preview.map((r) => (
                  <tr key={r.name}>
                    <td className="mono">{r.name}</td>
                    <td>{r.outcome.toLowerCase()}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {tally("REFUSED") ? <p className="error">Nothing will be cloned while any secret is refused.</p> : null}
        </section>
      ) : null}
      <FieldError id="clone-many-error" message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        {preview && !tally("REFUSED") ? (
          <button type="button" className="primary" disabled={pending} onClick={() => call(false)}>
            Confirm
          </button>
        ) : (
          <button type="button" className="primary" disabled={pending || !target} onClick={() => call(true)}>
            Review
          </button>
        )}
      </div>
    </Dialog>
  );
}
