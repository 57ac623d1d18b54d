// `npm test`: Vitest on PGlite, Vitest again on PostgreSQL when TEST_DATABASE_URL is set, then
// Playwright against a production build in Debian's Chromium (installed here when missing).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(label, cmd, args, extraEnv = {}) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return result.status === 0;
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.error(`Chromium not found at ${CHROMIUM}. Install Debian's package: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log("Chromium not found: installing Debian's chromium package");
  const apt = (args) => spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (apt(["update"]).status !== 0 || apt(["install", "-y", "chromium"]).status !== 0 || !existsSync(CHROMIUM)) {
    console.error("Could not install chromium with apt-get; install it and run npm test again.");
    process.exit(1);
  }
}

ensureChromium();
const results = [];
results.push(["vitest (PGlite)", run("vitest on PGlite", "node_modules/.bin/vitest", ["run"], { VAULT_TEST_DB: "pglite" })]);
if (process.env.TEST_DATABASE_URL) {
  results.push(["vitest (PostgreSQL)", run("vitest on PostgreSQL", "node_modules/.bin/vitest", ["run"], { VAULT_TEST_DB: "postgres" })]);
} else {
  console.log("\nTEST_DATABASE_URL is not set: the PostgreSQL pass is not run (CI sets it).");
}
results.push(["playwright", run("playwright in Chromium", "node_modules/.bin/playwright", ["test"])]);

console.log("\n== summary");
for (const [name, ok] of results) console.log(`${ok ? "passed" : "FAILED"}: ${name}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
