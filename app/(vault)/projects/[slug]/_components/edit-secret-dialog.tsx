"use client";

import { useEffect, useState, useTransition, type FormEvent } from "react";
import { secretDetailsAction, updateSecretAction } from "../actions";
import { Dialog, FieldError } from "./dialog";
import { MetadataEditor, pairsToMetadata, type Pairs } from "./metadata-editor";
import { STORAGE_LABEL, type Location, type SecretRowView, type StorageKind } from "./secret-types";

type Details = { versions: { version: number; createdAt: string; createdBy: string | null }[] };

// Edit: a new value (never the current one), description, type, metadata, and where the value
// lives. An ENV secret has no value field: its value is the server's; it can be re-pointed. A
// move copies the current value server-side as a new version.
export function EditSecretDialog({
  slug,
  row,
  locations,
  onClose,
  onDone,
}: {
  slug: string;
  row: SecretRowView;
  locations: Location[];
  onClose: () => void;
  onDone: (m: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const [details, setDetails] = useState<Details | null>(null);
  const [storage, setStorage] = useState<StorageKind>(row.storage);
  const [pairs, setPairs] = useState<Pairs | null>(null);
  const choices = locations.some((l) => l.storage === row.storage) ? locations.map((l) => l.storage) : [row.storage, ...locations.map((l) => l.storage)];
  useEffect(() => {
    secretDetailsAction(row.id).then((r) => r.ok && setDetails(r.data!));
  }, [row.id]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = storage === "ENV" ? "" : String(data.get("value") ?? "");
    const description = String(data.get("description") ?? "");
    const type = String(data.get("type") ?? "");
    const envVar = storage === "ENV" ? String(data.get("envVar") ?? "").trim() : "";
    const metadata = pairs ? pairsToMetadata(pairs) : null;
    const metadataChanged = metadata !== null && JSON.stringify(metadata) !== JSON.stringify(row.metadata);
    const moving = storage !== row.storage;
    const repointing = storage === "ENV" && envVar !== "" && envVar !== row.referencePath;
    if (!value && !moving && !repointing && !metadataChanged && description === row.description && type === row.type) {
      setError("No changes to save");
      return;
    }
    start(async () => {
      const result = await updateSecretAction(slug, {
        id: row.id,
        value: value || null,
        description,
        type,
        metadata: metadataChanged ? metadata : null,
        storage: moving ? storage : null,
        envVar: storage === "ENV" ? envVar || null : null,
        expectedVersion: row.version,
      });
      const newVersion = Boolean(value) || moving || repointing;
      if (result.ok) onDone(`Updated ${row.name}${newVersion ? `: now version ${result.data!.version}` : ""}`);
      else setError(result.error);
    });
  }

  return (
    <Dialog title={`Edit ${row.name}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="edit-name">Secret Key</label>
          <input id="edit-name" className="mono" value={row.name} readOnly aria-readonly="true" />
        </div>
        <div className="field">
          <label htmlFor="edit-storage">Storage location</label>
          <select id="edit-storage" value={storage} onChange={(e) => setStorage(e.target.value as StorageKind)} aria-describedby="edit-storage-help">
            {choices.map((s) => (
              <option key={s} value={s}>
                {STORAGE_LABEL[s]}
              </option>
            ))}
          </select>
          <small id="edit-storage-help" className="muted">
            {storage !== row.storage
              ? storage === "ENV"
                ? "The secret will take its value from the server environment variable below, as a new version."
                : `The current value moves to ${STORAGE_LABEL[storage]} as a new version, on the server: it never passes through your browser.`
              : row.referencePath
                ? `Now at ${row.referencePath}.`
                : "Now encrypted in the vault's database."}
          </small>
        </div>
        {/* Keyed: switching storage must never carry what was typed in one field into the other. */}
        {storage === "ENV" ? (
          <div className="field" key="envVar">
            <label htmlFor="edit-envvar">Environment variable</label>
            <input
              id="edit-envvar"
              name="envVar"
              className="mono"
              autoComplete="off"
              defaultValue={row.storage === "ENV" ? (row.referencePath ?? "") : ""}
              aria-describedby="edit-envvar-help"
            />
            <small id="edit-envvar-help" className="muted">
              The value lives in the vault server&apos;s environment, so there is no value to type here. Point the secret at another variable the operator allowed for
              this project.
            </small>
          </div>
        ) : (
          <div className="field" key="value">
            <label htmlFor="edit-value">New Value (Optional)</label>
            <input id="edit-value" name="value" type="password" autoComplete="new-password" aria-describedby="edit-value-help" />
            <small id="edit-value-help" className="muted">
              Leave empty to keep the current value. The current value is never shown.
            </small>
          </div>
        )}
        <div className="field">
          <label htmlFor="edit-description">Description</label>
          <textarea id="edit-description" name="description" rows={2} maxLength={1000} defaultValue={row.description} />
        </div>
        <div className="field">
          <label htmlFor="edit-type">Type</label>
          <input id="edit-type" name="type" maxLength={100} defaultValue={row.type} />
        </div>
        <MetadataEditor id="edit-metadata" initial={row.metadata} onChange={setPairs} />
        <FieldError id="edit-error" message={error} />
        <section aria-label="Version history" className="history">
          <h3>Version history</h3>
          {!details ? (
            <p className="muted">Loading…</p>
          ) : (
            <ol>
              {details.versions.map((v) => (
                <li key={v.version}>
                  v{v.version} · {new Date(v.createdAt).toLocaleString("en-CA")} · {v.createdBy ?? "API token or operator"}
                </li>
              ))}
            </ol>
          )}
        </section>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            {pending ? "Saving…" : "Update Secret"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
