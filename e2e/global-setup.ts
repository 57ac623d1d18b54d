import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVault, vaultCli } from "./vault-server";

// One vault for the browser suite, on its own data dir and port, with an admin to sign in as.
export default async function globalSetup() {
  const dataDir = mkdtempSync(join(tmpdir(), "vault-e2e-"));
  const vault = await startVault({ dataDir, port: Number(process.env.E2E_PORT || 3100) });
  const email = "admin@e2e.test";
  const password = "e2e-admin-password";
  vaultCli(dataDir, ["user", "create", "--email", email, "--password", password, "--admin"]);
  Object.assign(process.env, { E2E_BASE_URL: vault.baseURL, E2E_DATA_DIR: dataDir, E2E_ADMIN_EMAIL: email, E2E_ADMIN_PASSWORD: password });
  return async () => {
    await vault.stop();
  };
}
