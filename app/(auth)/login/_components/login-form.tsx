"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { safeCallbackPath } from "@/lib/auth/safe-callback";
import { signInErrorMessage, SIGN_IN_UNAVAILABLE } from "@/lib/auth/sign-in-messages";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!result) {
      setError(SIGN_IN_UNAVAILABLE);
      return;
    }
    if (result.error) {
      // The generic "incorrect", or "Too many sign-in attempts. Try again in N s."; never input.
      setError(signInErrorMessage(result.error));
      return;
    }
    // Checked again here: the browser resolves what it is given, so only a same-origin path leaves.
    window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending} style={{ width: "100%" }}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
