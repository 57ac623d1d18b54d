"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { CloneDialog } from "./clone-dialog";
import { DeleteSecretDialog } from "./delete-secret-dialog";
import { EditSecretDialog } from "./edit-secret-dialog";
import { RotateDialog } from "./rotate-dialog";
import type { Location, SecretRowView, Target } from "./secret-types";

type Open = "edit" | "rotate" | "clone" | "delete" | null;

// The secret page's actions: the same dialogs as the table's rows.
export function SecretActions({ slug, row, locations, targets }: { slug: string; row: SecretRowView; locations: Location[]; targets: Target[] }) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
  };
  return (
    <>
      <div className="toolbar-actions" role="group" aria-label="Secret actions">
        <button type="button" onClick={() => setOpen("edit")}>
          Edit
        </button>
        {row.storage !== "ENV" ? (
          <button type="button" onClick={() => setOpen("rotate")}>
            Rotate
          </button>
        ) : null}
        <button type="button" disabled={targets.length === 0} title={targets.length ? undefined : "No other project where you can manage secrets"} onClick={() => setOpen("clone")}>
          Clone
        </button>
        <button type="button" className="danger" onClick={() => setOpen("delete")}>
          Delete
        </button>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {open === "edit" ? <EditSecretDialog slug={slug} row={row} locations={locations} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open === "rotate" ? <RotateDialog slug={slug} row={row} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open === "clone" ? <CloneDialog slug={slug} row={row} targets={targets} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open === "delete" ? (
        <DeleteSecretDialog
          slug={slug}
          row={row}
          onClose={() => setOpen(null)}
          onDone={() => router.push(`/projects/${slug}?deleted=${encodeURIComponent(row.name)}`)}
        />
      ) : null}
    </>
  );
}
