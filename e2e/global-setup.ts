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
  return async () => {
    await vault.stop();
  };
}
