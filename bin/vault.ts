// The operator's CLI: `npm run vault -- <command>`. Runs next to the database (DATABASE_URL, or the
// embedded data dir, through the running server when `npm start` is up).
import { parseArgs } from "node:util";
import { connectDatabase, dataDirFrom } from "../lib/db/connect";
import { applyMigrations, createMigration } from "../lib/db/migrate";
import { withLocalKeys } from "../lib/local-keys";
import { CLIENT_COMMANDS, runClient } from "./vault-client.mjs";

const USAGE = `usage: npm run vault -- <command>

Client commands (a GraphQL client: VAULT_URL, VAULT_TOKEN): secrets list|set|delete, run, export,
import. See \`npm run vault -- secrets --help\`.

Operator commands (next to the database):

  db migrate                                   apply pending migrations
  db migration <name>                          write a migration from prisma/schema.prisma
  user create --email E --password P [--admin] [--name N]
  project create --slug S --name N --owner EMAIL
  project env-allow --project S --allow NAME|PREFIX_* [--allow …] | --clear
                                               server variables ENV secrets of S may use (replaces the list)
  member add --project S --email E --role viewer|editor|admin
  token create --project S --name N --scope secrets:read [--scope …] [--expires ISO-8601]
  keys rotate [--batch N]                      add a master key and re-wrap every data key (resumable;
                                               N data keys per transaction, default 200)
  keys status                                  data keys per master key
  keys verify                                  decrypt every stored value (all versions) and name any that fail
  ssm reconcile [--dry-run]                    remove SSM parameters no secret refers to`;

const out = (line: string) => process.stdout.write(line + "\n");
const fail = (message: string, code = 1): never => {
  process.stderr.write(message + "\n");
  process.exit(code);
};

export async function runCli(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      admin: { type: "boolean", default: false },
      name: { type: "string" },
      slug: { type: "string" },
      owner: { type: "string" },
      project: { type: "string" },
      role: { type: "string" },
      scope: { type: "string", multiple: true },
      allow: { type: "string", multiple: true },
      clear: { type: "boolean", default: false },
      expires: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      batch: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [group, command, ...rest] = positionals;
  if (values.help || !group) return out(USAGE);

  if (`${group} ${command}` === "db migration") {
    if (!rest[0]) fail("usage: npm run db:migration -- <name>", 2);
    const created = await createMigration(rest[0]);
    return out(created ? `wrote ${created.dir}/migration.sql` : "prisma/schema.prisma matches the migrations: nothing to write");
  }

  const dataDir = dataDirFrom(process.env);
  const keysFromEnv = Boolean(process.env.SECRETS_ENCRYPTION_KEY);
  const database = await connectDatabase(process.env);
  // The embedded database's URL is not an operator's DATABASE_URL: its keys are the data dir's.
  Object.assign(process.env, withLocalKeys({ ...process.env, DATABASE_URL: database.url }, dataDir, (l) => process.stderr.write(l + "\n"), database.embedded));
  try {
    const key = `${group} ${command ?? ""}`.trim();
    if (key === "db migrate") {
      const applied = await applyMigrations(database.url);
      return out(applied.length ? `applied: ${applied.join(", ")}` : "database schema is current");
    }
    await applyMigrations(database.url);
    const { runAdminCommand } = await import("./admin-commands");
    await runAdminCommand(key, values, { out, dataDir, keysFromEnv });
  } finally {
    const { disconnectDb } = await import("../lib/db/client");
    await disconnectDb();
    await database.close();
  }
}

const argv = process.argv.slice(2);
if (CLIENT_COMMANDS.includes(argv[0])) {
  runClient(argv);
} else {
  // Exit as soon as the command is done: idle pool connections must not hold the CLI open.
  runCli(argv).then(
    () => process.exit(0),
    (error) => {
      const code = (error as { code?: string }).code;
      const known = ["BAD_USER_INPUT", "CONFLICT", "NOT_FOUND", "FORBIDDEN", "UNAVAILABLE"].includes(code ?? "");
      fail(known ? `${code}: ${(error as Error).message}` : `error: ${(error as Error).message ?? String(error)}`, known ? 2 : 1);
    },
  );
}
