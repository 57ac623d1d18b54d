"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Dialog, FieldError } from "../../_components/dialog";
import { deleteConsumerAction, updateConsumerAction } from "../actions";
import type { ConsumerView } from "./types";

// Rename, "allow all secrets" and delete.
export function ConsumerSettings({ slug, consumer }: { slug: string; consumer: ConsumerView }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [allowAllSecrets, setAllowAllSecrets] = useState(consumer.allowAllSecrets);
  const [pending, start] = useTransition();

  function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    start(async () => {
      const r = await updateConsumerAction(slug, { id: consumer.id, name });
      setError(r.ok ? null : r.error);
      setNotice(r.ok ? `Renamed to ${r.data!.name}` : null);
    });
  }
  const allowAll = (value: boolean) => {
    setAllowAllSecrets(value);
    start(async () => {
      const r = await updateConsumerAction(slug, { id: consumer.id, allowAllSecrets: value });
      if (!r.ok) setAllowAllSecrets(!value);
      setError(r.ok ? null : r.error);
      setNotice(r.ok ? (value ? "Templates may now name any secret of this project" : "Templates may now name attached secrets only") : null);
    });
  };

  return (
    <section aria-label="Settings" className="section settings">
      <form className="inline-form" onSubmit={rename} noValidate>
        <div className="field">
          <label htmlFor="consumer-rename">Name</label>
          <input id="consumer-rename" name="name" defaultValue={consumer.name} autoComplete="off" aria-describedby="consumer-settings-error" />
        </div>
        <button type="submit" disabled={pending}>
          Rename
        </button>
      </form>
      <label className="check">
        <input type="checkbox" checked={allowAllSecrets} onChange={(e) => allowAll(e.target.checked)} /> Allow all secrets: templates may
        name any secret of this project, not only ticked ones
      </label>
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete consumer
      </button>
      <FieldError id="consumer-settings-error" message={error} />
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {confirming ? (
        <Dialog title={`Delete ${consumer.name}`} onClose={() => setConfirming(false)}>
          <p>Its attachments and templates go with it; the secrets stay. Runs that use it will fail.</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const r = await deleteConsumerAction(slug, consumer.id);
                  if (!r.ok) return setError(r.error);
                  router.push(`/projects/${slug}/consumers`);
                })
              }
            >
              Delete
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
