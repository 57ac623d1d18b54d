"use client";

import { useActionState } from "react";
import { createProjectAction } from "../actions";

export function CreateProjectForm() {
  const [state, action, pending] = useActionState(createProjectAction, null);
  return (
    <form action={action} className="card inline-card" aria-label="Create project">
      <h2>Create project</h2>
      <div className="field">
        <label htmlFor="project-name">Name</label>
        <input id="project-name" name="name" required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="project-slug">Slug</label>
        <input id="project-slug" name="slug" required pattern="[a-z0-9](?:[a-z0-9-]*[a-z0-9])?" maxLength={64} aria-describedby="slug-help" />
        <small id="slug-help" className="muted">
          Lowercase letters, digits and dashes; used in URLs and the API.
        </small>
      </div>
      {state && !state.ok ? (
        <p className="error" role="alert">
          {state.error}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create project"}
      </button>
    </form>
  );
}
