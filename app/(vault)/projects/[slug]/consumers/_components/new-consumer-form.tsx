"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { FieldError } from "../../_components/dialog";
import { createConsumerAction } from "../actions";
import { KIND_LABEL, type ConsumerKind } from "./types";

export function NewConsumerForm({ slug }: { slug: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    start(async () => {
      const r = await createConsumerAction(slug, { kind: String(data.get("kind")) as ConsumerKind, name: String(data.get("name") ?? "") });
      if (!r.ok) return setError(r.error);
      router.push(`/projects/${slug}/consumers/${r.data!.id}`);
    });
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="New consumer" noValidate>
      <div className="field">
        <label htmlFor="consumer-kind">Kind</label>
        <select id="consumer-kind" name="kind" defaultValue="TASK_TEMPLATE">
          {(Object.keys(KIND_LABEL) as ConsumerKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="consumer-name">Consumer name</label>
        <input id="consumer-name" name="name" autoComplete="off" placeholder="nightly-report" aria-describedby="consumer-name-error" />
      </div>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? "Creating…" : "Create consumer"}
      </button>
      <FieldError id="consumer-name-error" message={error} />
    </form>
  );
}
