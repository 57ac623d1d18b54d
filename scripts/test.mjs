// `npm test`: Vitest on PGlite, Vitest again on PostgreSQL when TEST_DATABASE_URL is set, then
// Playwright against a production build in Debian's Chromium (installed here when missing), then a
// short load run (bench/load.ts) against that build.
// Each runner prints its own summary; the last line adds them up as "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const reports = mkdtempSync(join(tmpdir(), "vault-test-reports-"));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, cmd, args, extraEnv = {}) {
  process.stdout.write(`\n== ${label}\n`);
  return spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } }).status === 0;
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

function vitest(label, db) {
  const out = join(reports, `vitest-${db}.json`);
  const ok = run(label, "node_modules/.bin/vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], { VAULT_TEST_DB: db });
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, "utf8"));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests + (r.numTotalTestSuites && !ok && r.numFailedTests === 0 ? 1 : 0);
    totals.skipped += r.numPendingTests + r.numTodoTests;
  } else if (!ok) totals.failed += 1;
  return ok;
}

function playwright() {
  const out = join(reports, "playwright.json");
  const ok = run("playwright in Chromium", "node_modules/.bin/playwright", ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (existsSync(out)) {
    const { stats } = JSON.parse(readFileSync(out, "utf8"));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected + (!ok && stats.unexpected === 0 ? 1 : 0);
    totals.skipped += stats.skipped;
  } else if (!ok) totals.failed += 1;
  return ok;
}

ensureChromium();
const results = [["vitest (PGlite)", vitest("vitest on PGlite", "pglite")]];
if (process.env.TEST_DATABASE_URL) results.push(["vitest (PostgreSQL)", vitest("vitest on PostgreSQL", "postgres")]);
else console.log("\nTEST_DATABASE_URL is not set: the PostgreSQL pass is not run (CI sets it).");
results.push(["playwright", playwright()]);
// A short `npm run load` (mixed load, hot spots, nothing lost) against the production build: one
// check that passes only with zero failed requests and zero lost writes.
const loadOk = run("load (short) on PostgreSQL", "node_modules/.bin/tsx", ["--conditions=react-server", "bench/load.ts"], {
  LOAD_SECONDS: "10",
  LOAD_BACKENDS: process.env.TEST_DATABASE_URL ? "postgres" : "embedded",
});
totals[loadOk ? "passed" : "failed"] += 1;
results.push(["load (short)", loadOk]);

console.log("\n== summary");
for (const [name, ok] of results) console.log(`${ok ? "passed" : "FAILED"}: ${name}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(results.every(([, ok]) => ok) && totals.failed === 0 ? 0 : 1);
