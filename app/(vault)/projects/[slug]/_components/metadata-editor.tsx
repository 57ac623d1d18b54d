"use client";

import { useState } from "react";

export type Pairs = [string, string][];

export const pairsToMetadata = (pairs: Pairs) => Object.fromEntries(pairs.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v]));

// Key–value pairs, edited in place; the parent reads them with pairsToMetadata.
export function MetadataEditor({ id, initial, onChange }: { id: string; initial: Record<string, string>; onChange: (pairs: Pairs) => void }) {
  const [pairs, setPairs] = useState<Pairs>(Object.entries(initial));
  const update = (next: Pairs) => {
    setPairs(next);
    onChange(next);
  };
  return (
    <fieldset className="field metadata" aria-describedby={`${id}-help`}>
      <legend>Metadata</legend>
      <small id={`${id}-help`} className="muted">
        Key–value pairs about the secret (owner, rotation URL); never the value itself.
      </small>
      {pairs.map(([k, v], i) => (
        <div key={i} className="pair">
          <input aria-label={`Metadata key ${i + 1}`} placeholder="key" value={k} autoComplete="off" onChange={(e) => update(pairs.map((p, j) => (j === i ? [e.target.value, p[1]] : p)))} />
          <input aria-label={`Metadata value ${i + 1}`} placeholder="value" value={v} autoComplete="off" onChange={(e) => update(pairs.map((p, j) => (j === i ? [p[0], e.target.value] : p)))} />
          <button type="button" className="link" aria-label={`Remove metadata ${k || i + 1}`} onClick={() => update(pairs.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => update([...pairs, ["", ""]])}>
        Add metadata
      </button>
    </fieldset>
  );
}
