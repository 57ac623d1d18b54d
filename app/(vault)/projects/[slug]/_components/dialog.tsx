"use client";

import { useEffect, useRef, type ReactNode } from "react";

// A modal <dialog>: the browser traps focus inside it, makes the page behind inert and closes it on
// Escape. The scrollbar gutter is reserved in CSS, so opening it does not shift the layout.
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);
  const titleId = `dialog-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <dialog ref={ref} className={wide ? "dialog wide" : "dialog"} aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

export function FieldError({ id, message }: { id: string; message?: string | null }) {
  return message ? (
    <p id={id} className="error" role="alert">
      {message}
    </p>
  ) : null;
}

// The projects a secret can be cloned into (those where the person can manage secrets).
export function TargetProjectSelect({ id, value, targets, onChange }: { id: string; value: string; targets: { slug: string; name: string }[]; onChange: (slug: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Target project</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {targets.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name} ({t.slug})
          </option>
        ))}
      </select>
    </div>
  );
}
