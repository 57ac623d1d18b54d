// Generates everything that is build output rather than source, offline: the Prisma client, the
// GraphQL SDL bundled as a module, and the codegen types. Runs on `npm install`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });

// `prisma generate` needs no engine, but the CLI downloads one unless told where one "is".
run(bin("prisma"), ["generate"], {
  PRISMA_SCHEMA_ENGINE_BINARY: join(root, "package.json"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
});

const schemaDir = join(root, "graphql/schema");
const sdl = readdirSync(schemaDir)
  .filter((f) => f.endsWith(".graphql"))
  .sort()
  .map((f) => readFileSync(join(schemaDir, f), "utf8"))
  .join("\n");
mkdirSync(join(root, "graphql/generated"), { recursive: true });
writeFileSync(
  join(root, "graphql/generated/type-defs.ts"),
  `// Generated from graphql/schema/*.graphql by scripts/generate.mjs. Do not edit.\nexport const typeDefs = ${JSON.stringify(sdl)};\n`,
);

run(bin("graphql-codegen"), ["--config", "codegen.ts", "--silent"]);
