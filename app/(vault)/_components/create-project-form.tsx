"use client";

import { useState, useTransition, type FormEvent } from "react";
import { createProjectAction } from "../actions";

export function CreateProjectForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  // Submitted by hand so a refused attempt keeps what was typed (a form action would reset it).
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    start(async () => {
      const result = await createProjectAction({ name: String(form.get("name") ?? ""), slug: String(form.get("slug") ?? "") });
      if (result && !result.ok) setError(result.error);
    });
  }

  return (
    <form onSubmit={submit} className="card inline-card" aria-label="Create project">
      <h2>Create project</h2>
      <div className="field">
        <label htmlFor="project-name">Name</label>
        <input id="project-name" name="name" maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="project-slug">Slug</label>
        <input id="project-slug" name="slug" maxLength={64} aria-describedby="slug-help" />
        <small id="slug-help" className="muted">
          Lowercase letters, digits and dashes; used in URLs and the API.
        </small>
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}
