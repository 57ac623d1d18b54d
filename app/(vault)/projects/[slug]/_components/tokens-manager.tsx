"use client";

import { useState, useTransition, type FormEvent } from "react";
import { createTokenAction, revokeTokenAction } from "../actions";
import { Dialog, FieldError } from "./dialog";

const SCOPES = ["secrets:read", "secrets:manage", "secrets:inject", "members:manage", "tokens:manage", "audit:read"];
type Token = { id: string; name: string; scopes: string[]; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null; createdBy: string };
const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString("en-CA") : "—");

export function TokensManager({ slug, tokens }: { slug: string; tokens: Token[] }) {
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    start(async () => {
      const r = await createTokenAction(slug, {
        name: String(data.get("name") ?? ""),
        scopes: data.getAll("scopes").map(String),
        expiresAt: data.get("expires") ? `${data.get("expires")}T00:00:00Z` : null,
      });
      if (!r.ok) return setError(r.error);
      setError(null);
      form.reset();
      setCreated(r.data!);
    });
  }

  return (
    <>
      <table className="table" aria-label="API tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Created by</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                No tokens yet. Create one below for CI or scripts; a token with secrets:inject lets <code>vault run</code> resolve a consumer&apos;s environment.
              </td>
            </tr>
          ) : null}
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td className="mono">{t.scopes.join(" ")}</td>
              <td>{day(t.expiresAt)}</td>
              <td>{day(t.lastUsedAt)}</td>
              <td>{t.createdBy}</td>
              <td>
                {t.revokedAt ? (
                  `revoked ${day(t.revokedAt)}`
                ) : (
                  <button type="button" aria-label={`Revoke ${t.name}`} disabled={pending} onClick={() => start(async () => void (await revokeTokenAction(slug, t.id)))}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} className="card inline-card" aria-label="Create API token">
        <h2>Create API token</h2>
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input id="token-name" name="name" required maxLength={100} placeholder="ci-deploy" />
        </div>
        <fieldset className="field">
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === "secrets:read"} /> <span className="mono">{s}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="token-expires">Expires (optional)</label>
          <input id="token-expires" name="expires" type="date" />
        </div>
        <FieldError id="token-error" message={error} />
        <button type="submit" className="primary" disabled={pending}>
          Create token
        </button>
      </form>
      {created ? (
        <Dialog
          title="Your new API token"
          onClose={() => {
            setCreated(null);
            setCopied(false);
          }}
        >
          <p>Copy it now: it is shown once and the vault keeps only a hash of it.</p>
          <input aria-label="New API token" className="mono token" readOnly value={created} onFocus={(e) => e.target.select()} />
          <div className="dialog-actions">
            <button
              type="button"
              onClick={async () => {
                await navigator.clipboard?.writeText(created).catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setCreated(null);
                setCopied(false);
              }}
            >
              Done
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
