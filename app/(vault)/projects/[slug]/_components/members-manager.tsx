"use client";

import { useState, useTransition, type FormEvent } from "react";
import { FieldError } from "./dialog";
import { addMemberAction, removeMemberAction, setMemberRoleAction } from "../actions";

const ROLES = [
  { value: "VIEWER", label: "Viewer: read names, hints, descriptions" },
  { value: "EDITOR", label: "Editor: also create, edit, delete, clone" },
  { value: "ADMIN", label: "Admin: also members, tokens, audit" },
];

export function MembersManager({ slug, canManage, members }: { slug: string; canManage: boolean; members: { email: string; role: string; since: string }[] }) {
  const [error, setError] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const act = (fn: () => Promise<{ ok: boolean; error?: string }>) =>
    start(async () => {
      const r = await fn();
      setError(r.ok ? null : (r.error ?? null));
    });
  // Submitted by hand so a refused attempt keeps what was typed (a form action would reset it).
  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    start(async () => {
      const r = await addMemberAction(slug, { email: String(data.get("email") ?? ""), role: String(data.get("role") ?? "") });
      setAddError(r.ok ? null : r.error);
      if (r.ok) form.reset();
    });
  }

  return (
    <>
      <table className="table" aria-label="Members">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Member since</th>
            {canManage ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.email}>
              <td>{m.email}</td>
              <td>
                {canManage ? (
                  <select aria-label={`Role of ${m.email}`} value={m.role} disabled={pending} onChange={(e) => act(() => setMemberRoleAction(slug, m.email, e.target.value))}>
                    {ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.value.toLowerCase()}
                      </option>
                    ))}
                  </select>
                ) : (
                  m.role.toLowerCase()
                )}
              </td>
              <td>{new Date(m.since).toLocaleDateString("en-CA")}</td>
              {canManage ? (
                <td>
                  <button type="button" aria-label={`Remove ${m.email}`} disabled={pending} onClick={() => act(() => removeMemberAction(slug, m.email))}>
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <FieldError id="members-error" message={error} />
      {canManage ? (
        <form onSubmit={add} className="card inline-card" aria-label="Add member">
          <h2>Add member</h2>
          <div className="field">
            <label htmlFor="member-email">Email</label>
            <input id="member-email" name="email" type="email" required />
          </div>
          <div className="field">
            <label htmlFor="member-role">Role</label>
            <select id="member-role" name="role" defaultValue="VIEWER">
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <FieldError id="member-add-error" message={addError} />
          <button className="primary" type="submit" disabled={pending}>
            Add member
          </button>
        </form>
      ) : null}
    </>
  );
}
