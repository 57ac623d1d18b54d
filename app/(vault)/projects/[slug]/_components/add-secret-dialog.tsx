"use client";

import { useState, useTransition, type FormEvent } from "react";
import { createSecretAction } from "../actions";
import { Dialog, FieldError } from "./dialog";
import { MetadataEditor, pairsToMetadata, type Pairs } from "./metadata-editor";
import { STORAGE_LABEL, type Location, type Preset } from "./secret-types";

const NAME = /^[A-Z_][A-Z0-9_]*$/;

interface Props {
  slug: string;
  locations: Location[];
  presets: Preset[];
  onClose: () => void;
  onDone: (message: string) => void;
}

export function AddSecretDialog({ slug, locations, presets, onClose, onDone }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, start] = useTransition();
  const [preset, setPreset] = useState("");
  const [storage, setStorage] = useState(locations.find((l) => l.default)?.storage ?? "DATABASE");
  const [pairs, setPairs] = useState<Pairs>([]);
  const presetName = presets.find((p) => p.id === preset)?.name;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const name = presetName ?? String(data.get("name") ?? "").trim();
    const value = String(data.get("value") ?? "");
    const problems: Record<string, string> = {};
    if (!name) problems.name = "Secret key is required";
    if (storage !== "ENV" && !value) problems.value = "Secret value is required";
    setErrors(problems);
    if (Object.keys(problems).length) return;
    start(async () => {
      const result = await createSecretAction(slug, {
        name,
        value: storage === "ENV" ? null : value,
        description: String(data.get("description") ?? ""),
        type: String(data.get("type") ?? ""),
        metadata: pairsToMetadata(pairs),
        preset: preset || null,
        storage,
        envVar: storage === "ENV" ? String(data.get("envVar") ?? "") : null,
      });
      // On success the dialog unmounts and the value is gone; it is never kept in React state.
      if (result.ok) onDone(`Created ${result.data!.name} (${result.data!.hint})`);
      else setErrors({ [result.field ?? "form"]: result.error });
    });
  }

  return (
    <Dialog title="Add Secret" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {presets.length ? (
          <div className="field">
            <label htmlFor="secret-preset">Preset</label>
            <select id="secret-preset" value={preset} onChange={(e) => setPreset(e.target.value)}>
              <option value="">None: name it yourself</option>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="secret-name">Secret Key</label>
          <input
            key={presetName ?? "custom"}
            id="secret-name"
            name="name"
            className="mono"
            autoComplete="off"
            spellCheck={false}
            placeholder="OPENAI_API_KEY"
            defaultValue={presetName}
            readOnly={Boolean(presetName)}
            aria-invalid={Boolean(errors.name)}
            aria-describedby="secret-name-help secret-name-error"
            onChange={(e) => {
              const v = e.target.value;
              setErrors((x) => ({ ...x, form: "", name: v && !NAME.test(v) ? "Use uppercase letters, digits and underscores, like STRIPE_KEY" : "" }));
            }}
          />
          <small id="secret-name-help" className="muted">
            Uppercase with underscores, like an environment variable. It cannot be changed later.
          </small>
          <FieldError id="secret-name-error" message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor="secret-storage">Storage location</label>
          <select id="secret-storage" value={storage} onChange={(e) => setStorage(e.target.value as typeof storage)}>
            {locations.map((l) => (
              <option key={l.storage} value={l.storage}>
                {STORAGE_LABEL[l.storage]}
              </option>
            ))}
          </select>
        </div>
        {/* Keyed: switching storage must never carry what was typed in one field into the other. */}
        {storage === "ENV" ? (
          <div className="field" key="envVar">
            <label htmlFor="secret-envvar">Environment variable</label>
            <input id="secret-envvar" name="envVar" className="mono" autoComplete="off" aria-describedby="secret-envVar-error" />
            <FieldError id="secret-envVar-error" message={errors.envVar} />
          </div>
        ) : (
          <div className="field" key="value">
            <label htmlFor="secret-value">Secret Value</label>
            <input id="secret-value" name="value" type="password" autoComplete="new-password" aria-invalid={Boolean(errors.value)} aria-describedby="secret-value-error" />
            <FieldError id="secret-value-error" message={errors.value} />
          </div>
        )}
        <div className="field">
          <label htmlFor="secret-description">Description</label>
          <textarea id="secret-description" name="description" rows={2} maxLength={1000} placeholder="What it is for, and how to get a new one" />
          <FieldError id="secret-description-error" message={errors.description} />
        </div>
        <div className="field">
          <label htmlFor="secret-type">Type</label>
          <input id="secret-type" name="type" placeholder="API key" maxLength={100} />
        </div>
        <MetadataEditor id="secret-metadata" initial={{}} onChange={setPairs} />
        <FieldError id="secret-form-error" message={errors.form || errors.preset || errors.storage || errors.metadata} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending}>
            {pending ? "Creating…" : "Create Secret"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
