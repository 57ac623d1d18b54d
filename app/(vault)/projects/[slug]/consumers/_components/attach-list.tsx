"use client";

import { useEffect, useState, useTransition } from "react";
import { When } from "../../../../_components/when";
import { FieldError } from "../../_components/dialog";
import { attachSecretAction, detachSecretAction, searchSecretsAction } from "../actions";
import type { ConsumerView } from "./types";

type Found = { name: string; description: string };

// The secrets a consumer gets. Ticking attaches (with the alias typed next to it, if any),
// unticking detaches. The list is one server-side page of the search, so a project of 10,000
// secrets is never sent whole.
export function AttachList({ slug, consumer, canManage }: { slug: string; consumer: ConsumerView; canManage: boolean }) {
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<{ names: Found[]; more: boolean } | null>(null);
  const [aliases, setAliases] = useState<Record<string, string>>({});
  // What the person ticked, shown at once; put back if the server refuses.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const attached = new Map(consumer.attachments.map((a) => [a.secretName, a]));

  useEffect(() => {
    if (!canManage) return;
    let live = true;
    const t = setTimeout(() => {
      searchSecretsAction(slug, search).then((r) => {
        if (!live) return;
        if (r.ok) setFound(r.data!);
        else setError(r.error);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [slug, search, canManage]);

  const settle = (secretName: string, ok: boolean, message?: string) => {
    setError(ok ? null : (message ?? null));
    setTicked(({ [secretName]: _done, ...rest }) => rest);
  };
  const attach = (secretName: string, alias: string) => {
    setTicked((t) => ({ ...t, [secretName]: true }));
    start(async () => {
      const r = await attachSecretAction(slug, { consumerId: consumer.id, secretName, alias: alias.trim() || null });
      settle(secretName, r.ok, r.ok ? undefined : r.error);
    });
  };
  const detach = (secretName: string) => {
    setTicked((t) => ({ ...t, [secretName]: false }));
    start(async () => {
      const r = await detachSecretAction(slug, { consumerId: consumer.id, secretName });
      settle(secretName, r.ok, r.ok ? undefined : r.error);
    });
  };

  return (
    <>
      {consumer.attachments.length === 0 ? (
        <p className="muted">No secrets attached.{canManage ? " Tick the ones it uses below." : ""}</p>
      ) : (
        <ul className="plain attached" aria-label="Attached secrets">
          {consumer.attachments.map((a) => (
            <li key={a.secretName}>
              <span className="mono">{a.variable}</span>
              {a.alias ? (
                <>
                  {" "}
                  ← <span className="mono">{a.secretName}</span>
                </>
              ) : null}
              {a.missing ? <strong className="error"> (deleted)</strong> : null} <span className="muted">last used</span> <When at={a.lastResolvedAt} />
              {canManage ? (
                <button type="button" className="link" disabled={pending} onClick={() => detach(a.secretName)} aria-label={`Detach ${a.secretName}`}>
                  Detach
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <FieldError id="attach-error" message={error} />
      {canManage ? (
        <div className="attach-picker">
          <div className="field">
            <label htmlFor="attach-search">Search secrets to attach</label>
            <input id="attach-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Key prefix or description" autoComplete="off" />
          </div>
          {!found ? (
            <p className="muted">Loading…</p>
          ) : found.names.length === 0 ? (
            <p className="muted">{search ? "No secrets match this search." : "This project has no secrets yet: add one on the Secrets tab."}</p>
          ) : (
            <fieldset className="plain-fieldset">
              <legend className="sr-only">Secrets to attach</legend>
              <ul className="plain pick-list">
                {found.names.map((s) => {
                  const current = attached.get(s.name);
                  const alias = aliases[s.name] ?? current?.alias ?? "";
                  return (
                    <li key={s.name} data-testid={`pick-${s.name}`}>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={ticked[s.name] ?? Boolean(current)}
                          onChange={(e) => (e.target.checked ? attach(s.name, alias) : detach(s.name))}
                        />{" "}
                        <span className="mono">{s.name}</span>
                        {s.description ? (
                          <span className="muted truncate" title={s.description}>
                            {" "}
                            {s.description}
                          </span>
                        ) : null}
                      </label>
                      <input
                        className="mono alias"
                        aria-label={`Alias for ${s.name}`}
                        placeholder="alias (optional)"
                        value={alias}
                        autoComplete="off"
                        onChange={(e) => setAliases((x) => ({ ...x, [s.name]: e.target.value }))}
                        onKeyDown={(e) => {
                          if (e.key === "Enter") {
                            e.preventDefault();
                            attach(s.name, alias);
                          }
                        }}
                      />
                      {current && alias !== (current.alias ?? "") ? (
                        <button type="button" disabled={pending} onClick={() => attach(s.name, alias)}>
                          Save alias
                        </button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              {found.more ? <p className="muted">More secrets match: narrow the search.</p> : null}
            </fieldset>
          )}
        </div>
      ) : null}
    </>
  );
}
