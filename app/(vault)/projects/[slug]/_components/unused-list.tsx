"use client";

import Link from "next/link";
import { useState } from "react";
import { BulkDeleteDialog } from "./bulk-delete-dialog";

type Row = { id: string; name: string; description: string; updatedAt: string };

export function UnusedList({ slug, rows, canManage }: { slug: string; rows: Row[]; canManage: boolean }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // The selection as it was when the dialog opened.
  const [open, setOpen] = useState<{ id: string; name: string }[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const items = rows.filter((r) => selected.has(r.id)).map((r) => ({ id: r.id, name: r.name }));
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {canManage ? (
        <div className="toolbar-actions">
          <button type="button" className="danger" disabled={items.length === 0} onClick={() => setOpen(items)}>
            Delete selected{items.length ? ` (${items.length})` : ""}…
          </button>
        </div>
      ) : null}
      <ul className="plain unused-list" aria-label="Unused secrets">
        {rows.map((r) => (
          <li key={r.id} data-testid={`unused-${r.name}`}>
            {canManage ? (
              <input
                type="checkbox"
                aria-label={`Select ${r.name}`}
                checked={selected.has(r.id)}
                onChange={(e) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(r.id);
                    else next.delete(r.id);
                    return next;
                  })
                }
              />
            ) : null}
            <Link href={`/projects/${slug}/secrets/${r.name}`} className="mono">
              {r.name}
            </Link>
            <span className="muted break">{r.description}</span>
          </li>
        ))}
      </ul>
      {open ? (
        <BulkDeleteDialog
          slug={slug}
          items={open}
          onClose={() => setOpen(null)}
          onDone={(m) => {
            setOpen(null);
            setSelected(new Set());
            setNotice(m);
          }}
        />
      ) : null}
    </>
  );
}
