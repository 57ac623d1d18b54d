import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/get-actor";
import { countUsers } from "@/lib/users/verify-credentials";
import { LoginForm } from "./_components/login-form";

export const dynamic = "force-dynamic";

// Only paths on this vault: "//host" and "/\\host" would leave it.
const safeCallback = (url?: string) => (url && /^\/(?![/\\])/.test(url) ? url : "/");

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getActor()) redirect("/");
  const { callbackUrl } = await searchParams;
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
