"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { AddSecretDialog } from "./add-secret-dialog";
import { CloneDialog } from "./clone-dialog";
import { CloneManyDialog } from "./clone-many-dialog";
import { DeleteSecretDialog } from "./delete-secret-dialog";
import { EditSecretDialog } from "./edit-secret-dialog";
import { STORAGE_LABEL, type Location, type Preset, type SecretRowView, type Target } from "./secret-types";

export interface TableProps {
  slug: string;
  rows: SecretRowView[];
  total: number;
  search: string;
  after: string | null;
  nextCursor: string | null;
  canManage: boolean;
  locations: Location[];
  presets: Preset[];
  targets: Target[];
  notice?: string | null;
}

type Open =
  | { kind: "add" }
  | { kind: "edit"; row: SecretRowView }
  | { kind: "delete"; row: SecretRowView }
  | { kind: "clone"; row: SecretRowView }
  | { kind: "clone-many" }
  | null;

const day = (iso: string) => new Date(iso).toLocaleDateString("en-CA");

export function SecretsTable(props: TableProps) {
  const { slug, rows, total, search, canManage } = props;
  const router = useRouter();
  const pathname = usePathname();
  const [query, setQuery] = useState(search);
  const [open, setOpen] = useState<Open>(null);
  const [menu, setMenu] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [notice, setNotice] = useState<string | null>(props.notice ?? null);

  // Server-side search: the URL carries the query, the server answers one page.
  useEffect(() => {
    if (query === search) return;
    const t = setTimeout(() => router.replace(query ? `${pathname}?q=${encodeURIComponent(query)}` : pathname), 200);
    return () => clearTimeout(t);
  }, [query, search, pathname, router]);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [search]);

  const toggle = (name: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  const selection = allMatching ? { names: null, count: total } : { names: [...selected], count: selected.size };
  const done = (message: string) => {
    setOpen(null);
    setNotice(message);
  };

  return (
    <section aria-labelledby="secrets-heading">
      <div className="toolbar">
        <h1 id="secrets-heading">Secrets</h1>
        <input
          type="search"
          aria-label="Search secrets"
          placeholder="Search by key prefix or description"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {canManage ? (
          <div className="toolbar-actions">
            <button type="button" disabled={selection.count === 0 || props.targets.length === 0} onClick={() => setOpen({ kind: "clone-many" })}>
              Clone to…{selection.count ? ` (${selection.count})` : ""}
            </button>
            <button type="button" className="primary" onClick={() => setOpen({ kind: "add" })}>
              Add Secret
            </button>
          </div>
        ) : (
          <span className="badge" title="You can see names, hints and descriptions">
            Read-only
          </span>
        )}
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p className="muted" aria-live="polite">
        {total === 0 ? (search ? "No secrets match this search." : "No secrets yet.") : `${total} secret${total === 1 ? "" : "s"}${search ? " match" : ""}`}
        {canManage && total > rows.length && selected.size > 0 && !allMatching ? (
          <button type="button" className="link" onClick={() => setAllMatching(true)}>
            Select all {total} {search ? "matching the search" : "secrets"}
          </button>
        ) : null}
      </p>
      {rows.length === 0 ? (
        <div className="empty">
          {search ? (
            <p>Try another key prefix or description word.</p>
          ) : canManage ? (
            <p>Add your first secret with Add Secret (or pick a provider preset). Its value is never shown again, only a masked hint; then tick it on a consumer.</p>
          ) : (
            <p>Secrets added by the project&apos;s editors appear here with a masked hint; their values are never shown.</p>
          )}
        </div>
      ) : (
        <div className="table-wrap">
          <table className={canManage ? "table secrets manage" : "table secrets"} aria-label="Secrets">
            <colgroup>
              {canManage ? <col className="c-select" /> : null}
              <col className="c-key" />
              <col />
              <col className="c-type" />
              <col className="c-storage" />
              <col className="c-hint" />
              <col className="c-version" />
              <col className="c-date" />
              <col className="c-date" />
              {canManage ? <col className="c-actions" /> : null}
            </colgroup>
            <thead>
              <tr>
                {canManage ? (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select all on this page"
                      checked={allMatching || rows.every((r) => selected.has(r.name))}
                      onChange={(e) => {
                        setAllMatching(false);
                        setSelected(e.target.checked ? new Set(rows.map((r) => r.name)) : new Set());
                      }}
                    />
                  </th>
                ) : null}
                <th scope="col">Key</th>
                <th scope="col">Description</th>
                <th scope="col">Type</th>
                <th scope="col">Storage</th>
                <th scope="col">Hint</th>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Updated</th>
                {canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid={`secret-row-${row.name}`}>
                  {canManage ? (
                    <td className="select">
                      <input type="checkbox" aria-label={`Select ${row.name}`} checked={allMatching || selected.has(row.name)} onChange={() => toggle(row.name)} disabled={allMatching} />
                    </td>
                  ) : null}
                  <td className="mono key trunc" data-label="Key">
                    <Link href={`/projects/${slug}/secrets/${row.name}`} title={row.name}>
                      {row.name}
                    </Link>
                  </td>
                  <td className="trunc" data-label="Description">
                    {row.description ? (
                      // Truncated to one line; the full text on hover (title) and on focus (CSS).
                      <span title={row.description} tabIndex={row.description.length > 40 ? 0 : undefined}>
                        {row.description}
                      </span>
                    ) : null}
                  </td>
                  <td className="trunc" data-label="Type" title={row.type || undefined}>
                    {row.type}
                  </td>
                  <td className="trunc" data-label="Storage" title={row.referencePath ?? undefined}>
                    {STORAGE_LABEL[row.storage]}
                  </td>
                  <td className="mono hint" data-testid="hint" data-label="Hint">
                    {row.hint}
                  </td>
                  <td data-label="Version">v{row.version}</td>
                  <td data-label="Created">{day(row.createdAt)}</td>
                  <td data-label="Updated">{day(row.updatedAt)}</td>
                  {canManage ? (
                    <td className="actions" data-label="Actions">
                      <button type="button" className="icon" aria-label={`Edit ${row.name}`} title="Edit" onClick={() => setOpen({ kind: "edit", row })}>
                        ✎
                      </button>
                      <button type="button" className="icon" aria-label={`Delete ${row.name}`} title="Delete" onClick={() => setOpen({ kind: "delete", row })}>
                        ✕
                      </button>
                      <span className="menu">
                        <button
                          type="button"
                          className="icon"
                          aria-label={`More actions for ${row.name}`}
                          aria-haspopup="menu"
                          aria-expanded={menu === row.id}
                          onClick={() => setMenu(menu === row.id ? null : row.id)}
                        >
                          ⋮
                        </button>
                        {menu === row.id ? (
                          <span role="menu" className="menu-popover" onKeyDown={(e) => e.key === "Escape" && setMenu(null)}>
                            <button
                              type="button"
                              role="menuitem"
                              autoFocus
                              disabled={props.targets.length === 0}
                              onClick={() => {
                                setMenu(null);
                                setOpen({ kind: "clone", row });
                              }}
                            >
                              Clone
                            </button>
                          </span>
                        ) : null}
                      </span>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {props.after ? <Link href={search ? `${pathname}?q=${encodeURIComponent(search)}` : pathname}>First page</Link> : null}
        {props.nextCursor ? (
          <Link href={`${pathname}?${new URLSearchParams({ ...(search ? { q: search } : {}), after: props.nextCursor })}`}>Next page</Link>
        ) : null}
      </nav>

      {open?.kind === "add" ? <AddSecretDialog slug={slug} locations={props.locations} presets={props.presets} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === "edit" ? <EditSecretDialog slug={slug} row={open.row} locations={props.locations} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === "delete" ? <DeleteSecretDialog slug={slug} row={open.row} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === "clone" ? <CloneDialog slug={slug} row={open.row} targets={props.targets} onClose={() => setOpen(null)} onDone={done} /> : null}
      {open?.kind === "clone-many" ? (
        <CloneManyDialog
          slug={slug}
          names={selection.names}
          search={allMatching ? search : null}
          count={selection.count}
          targets={props.targets}
          onClose={() => setOpen(null)}
          onDone={(m) => {
            setSelected(new Set());
            setAllMatching(false);
            done(m);
          }}
        />
      ) : null}
    </section>
  );
}
