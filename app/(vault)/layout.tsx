import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getActor } from "@/lib/auth/get-actor";
import { safeCallbackPath } from "@/lib/auth/safe-callback";
import { SignOutButton } from "./_components/sign-out-button";

// Sign-in, then back to the page that was asked for (its path is set by proxy.ts).
async function signInUrl() {
  const requested = safeCallbackPath((await headers()).get("x-vault-requested-path"), "http://vault.invalid");
  return requested === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(requested)}`;
}

// Every vault page: signed-in people only (unauthenticated visits go to sign-in).
export default async function VaultLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  if (!actor || actor.kind !== "user") redirect(await signInUrl());
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          Secrets Vault
        </Link>
        <span className="who">
          Signed in as <strong data-testid="signed-in-email">{actor.email}</strong> <SignOutButton />
        </span>
      </header>
      {children}
    </>
  );
}
