import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVault, vaultCli } from "./vault-server";

// One vault for the browser suite, on its own data dir and port, with an admin to sign in as.
export default async function globalSetup() {
  const dataDir = mkdtempSync(join(tmpdir(), "vault-e2e-"));
  // Server variables for ENV-stored secrets (a project may use them once the operator allows it).
  const vault = await startVault({
    dataDir,
    port: Number(process.env.E2E_PORT || 3100),
    env: { E2E_PLATFORM_TOKEN: "platform-token-e2e-0123456789", E2E_PLATFORM_TOKEN_NEXT: "platform-token-e2e-next-0123456789" },
  });
  const email = "admin@e2e.test";
  const password = "e2e-admin-password";
  const created = vaultCli(dataDir, ["user", "create", "--email", email, "--password", password, "--admin"]);
  const personal = /personal project: (\S+)/.exec(created)![1];
  const token = vaultCli(dataDir, ["token", "create", "--project", personal, "--name", "e2e", "--scope", "secrets:read"]).trim().split("\n").pop()!;
  Object.assign(process.env, {
    E2E_BASE_URL: vault.baseURL,
    E2E_DATA_DIR: dataDir,
    E2E_ADMIN_EMAIL: email,
    E2E_ADMIN_PASSWORD: password,
    E2E_PERSONAL_SLUG: personal,
    E2E_READ_TOKEN: token,
  });
  // A vault that dies mid-run says why (its log never holds a value).
  let stopping = false;
  vault.process.once("exit", (code, signal) => {
    if (!stopping) console.error(`[e2e] the vault exited during the run (code ${code}, signal ${signal}):\n${vault.output().slice(-4000)}`);
  });
  return async () => {
    stopping = true;
    await vault.stop();
  };
}
