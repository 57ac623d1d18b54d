import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { safeCallbackPath } from "@/lib/auth/safe-callback";
import { env } from "@/lib/env";
import { countUsers } from "@/lib/users/verify-credentials";
import { LoginForm } from "./_components/login-form";

export const dynamic = "force-dynamic";

// Only a path on this vault (lib/auth/safe-callback.ts); the form checks it again before leaving.
const VAULT_ORIGIN = "http://vault.invalid";
const safeCallback = (url: string | string[] | undefined) => safeCallbackPath(typeof url === "string" ? url : undefined, env().NEXTAUTH_URL ?? VAULT_ORIGIN);

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  const { callbackUrl } = await searchParams;
  if (await getActor()) redirect(safeCallback(callbackUrl));
  const firstRun = (await countUsers()) === 0;
  return (
    <div className="center">
      <div className="card">
        <h1>Sign in to the vault</h1>
        <p className="muted">Use the email and password your vault administrator gave you.</p>
        {firstRun ? (
          <div role="note" aria-label="First run">
            <p>This vault has no users yet. Create the first administrator on the server:</p>
            <pre className="hint">npm run vault -- user create --email you@example.com --password &apos;…&apos; --admin</pre>
          </div>
        ) : null}
        <LoginForm callbackUrl={safeCallback(callbackUrl)} />
      </div>
    </div>
  );
}
