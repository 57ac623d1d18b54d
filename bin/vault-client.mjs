#!/usr/bin/env node
// The vault's client CLI for scripts and CI: a GraphQL client configured by VAULT_URL and
// VAULT_TOKEN. Values are read from stdin or a file (never argv, so they stay out of shell history
// and process lists) and never printed, except by `export`, which exists to write them out.
import { spawn } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createVaultClient, VaultConnectionError, VaultError } from "../client/index.mjs";
import { deniedVariableReason } from "../lib/consumers/denied-variables.mjs";

const USAGE = `usage: vault <command>   (VAULT_URL, VAULT_TOKEN)

  secrets list [--search TEXT] | --presets
  secrets set NAME|--preset ID [--file PATH] [--description TEXT] [--type TEXT]
              [--storage DATABASE|SSM|ENV] [--metadata KEY=VALUE]…   value from the file, or stdin
  secrets delete NAME
  run [--consumer NAME]… [--secret NAME]… [--secret-id ID]… -- COMMAND [ARGS…]
                                              run COMMAND with those environments merged
                                              (consumers in order, then chosen secrets; later wins)
  export [--consumer NAME]… [--secret NAME]… --format dotenv|json
                                              writes values to stdout: keep the output safe
  import --project SLUG < .env                create secrets from a dotenv file`;

class CliError extends Error {}

// Every call goes through the typed client (client/index.mjs): the same operations and typed errors
// as SDK users get, and still no dependency beyond node.
let vault;
function client() {
  if (!vault) {
    const url = (process.env.VAULT_URL || "http://localhost:3000").replace(/\/+$/, "");
    const token = process.env.VAULT_TOKEN;
    if (!token) throw new CliError("VAULT_TOKEN is not set: create a token in the dashboard or with `npm run vault -- token create`");
    vault = createVaultClient({ url, token, clientName: "vault-cli" });
  }
  return vault;
}

async function readStdin() {
  if (process.stdin.isTTY) throw new CliError("pipe the value on stdin or use --file (values are never taken from arguments)");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function secretsList(opts, out) {
  if (opts.presets) {
    out(["PRESET", "NAME", "PROVIDER", "TYPE", "FORMAT"].join("\t"));
    for (const p of await client().secrets.presets()) out([p.id, p.name, p.provider, p.type, p.format ?? ""].join("\t"));
    return;
  }
  out(["NAME", "STORAGE", "VERSION", "HINT", "UPDATED"].join("\t"));
  for (const s of await client().secrets.list({ search: opts.search })) out([s.name, s.storage, s.version, s.hint, s.updatedAt].join("\t"));
}

// KEY=VALUE pairs (repeatable --metadata) as a JSON object; metadata is not secret.
function metadataOf(pairs) {
  if (!pairs?.length) return undefined;
  const out = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 1) throw new CliError("--metadata takes KEY=VALUE");
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

async function secretsSet(name, opts, out) {
  if (!name && !opts.preset) throw new CliError("usage: vault secrets set NAME|--preset ID [--file PATH]   (the value comes from the file or stdin)");
  // A file is taken byte for byte; stdin loses one trailing newline (what `echo` adds).
  // An ENV secret's value lives in the server's environment: nothing to read.
  const value = opts.storage === "ENV" ? undefined : opts.file ? readFileSync(opts.file, "utf8") : (await readStdin()).replace(/\r?\n$/, "");
  if (value === "") throw new CliError("Secret value is required");
  const vault = client();
  const presetName = opts.preset ? (await vault.secrets.presets()).find((p) => p.id === opts.preset)?.name : undefined;
  if (opts.preset && !presetName) throw new CliError(`BAD_USER_INPUT: Unknown preset (see vault secrets list --presets)`);
  const key = name ?? presetName;
  const fields = { description: opts.description, type: opts.type, metadata: metadataOf(opts.metadata) };
  const existing = await vault.secrets.get(key);
  if (existing) {
    const updated = await vault.secrets.update(key, { value, ...fields, storage: opts.storage, expectedVersion: existing.version });
    out(`updated ${key}: version ${updated.version} (${updated.hint})`);
  } else {
    const created = await vault.secrets.create({ name: key, preset: opts.preset, value, ...fields, storage: opts.storage });
    out(`created ${key}: version ${created.version} (${created.hint})`);
  }
}

async function secretsDelete(name, out) {
  if (!name) throw new CliError("usage: vault secrets delete NAME");
  await client().secrets.delete(name);
  out(`deleted ${name}`);
}

// What to resolve: consumers (in precedence order) and secrets chosen by name or id.
const selectionOf = (opts) => ({ consumers: opts.consumer ?? [], names: opts.secret ?? [], ids: opts["secret-id"] ?? [] });
const describeSelection = (sel) => [...sel.consumers, ...sel.names, ...sel.ids].join(", ");

async function resolve(sel) {
  if (sel.consumers.length + sel.names.length + sel.ids.length === 0) {
    throw new CliError("name what to resolve: --consumer NAME, --secret NAME or --secret-id ID (each may repeat)");
  }
  // One consumer alone keeps resolveEnvironment; anything else is one resolveSecrets call (one audit row).
  const single = sel.consumers.length === 1 && sel.names.length === 0 && sel.ids.length === 0;
  const resolved = await client().consumers.resolve(single ? sel.consumers[0] : sel);
  // The server refuses these too; a client that runs commands checks again rather than trust it.
  const denied = resolved.variables.map((v) => deniedVariableReason(v.name)).filter(Boolean);
  if (denied.length) throw new CliError(`refusing to run with ${single ? `${sel.consumers[0]}'s environment` : `the environment of ${describeSelection(sel)}`}: ${denied.join("; ")}`);
  for (const c of resolved.conflicts) {
    process.stderr.write(`vault: warning: ${c.variable} is set by ${c.sources.join(" and ")}; ${single ? "the template" : "the last"} wins\n`);
  }
  return resolved.variables;
}

async function run(sel, command) {
  if (command.length === 0) throw new CliError("usage: vault run [--consumer NAME]… [--secret NAME]… [--secret-id ID]… -- COMMAND [ARGS…]");
  const variables = await resolve(sel);
  const env = { ...process.env };
  delete env.VAULT_TOKEN; // the workload gets its secrets, not the vault token
  for (const v of variables) env[v.name] = v.value;
  const child = spawn(command[0], command.slice(1), { stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  return new Promise((resolvePromise) => {
    child.on("error", (error) => {
      process.stderr.write(`vault: cannot run ${command[0]}: ${error.message}\n`);
      resolvePromise(127);
    });
    child.on("exit", (code, signal) => resolvePromise(code ?? (signal ? 128 + (signalNumber[signal] ?? 1) : 1)));
  });
}
const signalNumber = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

// Sourcing the file (`. ./.env`) must never run anything: single quotes expand nothing (a quote
// inside is written '\''). A value with a line break is double-quoted with $, `, \ and " escaped, so
// the shell still expands nothing (it keeps \n as two characters; dotenv parsers read a newline).
export const dotenvQuote = (v) =>
  /[\r\n]/.test(v)
    ? `"${v.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`
    : `'${v.replace(/'/g, "'\\''")}'`;

async function exportEnv(sel, format, out) {
  if (format !== "dotenv" && format !== "json") throw new CliError("--format must be dotenv or json");
  const variables = await resolve(sel);
  process.stderr.write("vault: warning: the output contains secret values; keep it out of version control and logs\n");
  if (format === "json") out(JSON.stringify(Object.fromEntries(variables.map((v) => [v.name, v.value])), null, 2));
  else for (const v of variables) out(`${v.name}=${dotenvQuote(v.value)}`);
}

// KEY=value, export KEY=value, 'single' (with '\'' for a quote) or "double" quotes (\n, \r, \", \\,
// \$ and \` in double), # comments.
export function parseDotenv(text) {
  const entries = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!m) return entries.push({ line: i + 1, name: null, value: null, problem: "not KEY=value" });
    let value = m[2];
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(n|r|"|\\|\$|`)/g, (_, c) => ({ n: "\n", r: "\r" })[c] ?? c);
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1).replace(/'\\''/g, "'");
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    entries.push({ line: i + 1, name: m[1], value, problem: null });
  });
  return entries;
}

async function importEnv(project, out) {
  if (!project) throw new CliError("usage: vault import --project SLUG < .env");
  const entries = parseDotenv(await readStdin());
  const counts = { created: 0, skipped: 0, refused: 0 };
  for (const e of entries) {
    const report = (what, why = "") => {
      counts[what] += 1;
      out(`line ${e.line}: ${e.name ?? "?"} ${what}${why ? ` (${why})` : ""}`);
    };
    if (e.problem) {
      report("refused", e.problem);
      continue;
    }
    try {
      await client().secrets.create({ project, name: e.name, value: e.value });
      report("created");
    } catch (error) {
      if (error.code === "CONFLICT") report("skipped", "already exists");
      else if (error.code === "BAD_USER_INPUT") report("refused", error.message);
      else throw error;
    }
  }
  out(`${counts.created} created, ${counts.skipped} skipped, ${counts.refused} refused`);
}

export async function main(argv) {
  vault = undefined;
  const dashdash = argv.indexOf("--");
  const command = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  const { positionals, values } = parseArgs({
    args: dashdash >= 0 ? argv.slice(0, dashdash) : argv,
    allowPositionals: true,
    options: {
      consumer: { type: "string", multiple: true },
      secret: { type: "string", multiple: true },
      "secret-id": { type: "string", multiple: true },
      format: { type: "string", default: "dotenv" },
      project: { type: "string" },
      file: { type: "string" },
      description: { type: "string" },
      type: { type: "string" },
      search: { type: "string" },
      presets: { type: "boolean" },
      preset: { type: "string" },
      storage: { type: "string" },
      metadata: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  const out = (line) => process.stdout.write(line + "\n");
  const [group, sub, name] = positionals;
  if (values.help || !group) return out(USAGE), 0;
  if (group === "secrets" && sub === "list") await secretsList(values, out);
  else if (group === "secrets" && sub === "set") await secretsSet(name, values, out);
  else if (group === "secrets" && sub === "delete") await secretsDelete(name, out);
  else if (group === "run") return run(selectionOf(values), command);
  else if (group === "export") await exportEnv(selectionOf(values), values.format, out);
  else if (group === "import") await importEnv(values.project, out);
  else throw new CliError(`unknown command "${positionals.join(" ")}"\n${USAGE}`);
  return 0;
}

// What the user reads: the server's code and message, or why the vault could not be reached.
export function messageOf(error) {
  if (error instanceof VaultConnectionError || error instanceof CliError) return error.message;
  if (error instanceof VaultError) return `${error.code}: ${error.message}`;
  return `error: ${error.message}`;
}

export const CLIENT_COMMANDS = ["secrets", "run", "export", "import"];

export function runClient(argv) {
  main(argv).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`vault: ${messageOf(error)}\n`);
      process.exit(error instanceof CliError || error instanceof VaultError ? 2 : 1);
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) runClient(process.argv.slice(2));
