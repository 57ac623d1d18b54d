import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getActor } from "@/lib/auth/get-actor";
import { SignOutButton } from "./_components/sign-out-button";

// Every vault page: signed-in people only (unauthenticated visits go to sign-in).
export default async function VaultLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  if (!actor || actor.kind !== "user") redirect("/login");
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
