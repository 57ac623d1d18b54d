// `npm start` runs bin/start.ts compiled to dist/start.mjs (one file, node_modules left external),
// not through a TypeScript loader: tsx's loader keeps ~60 MB resident in the process that also
// hosts the embedded database, for the life of the server. Fast (esbuild), so it runs every start;
// written to a temporary file and renamed, so concurrent starts never read half a file.
import { renameSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "dist/start.mjs");
const result = await build({
  entryPoints: [join(root, "bin/start.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  write: false,
  logLevel: "warning",
  banner: { js: "// Compiled from bin/start.ts by scripts/compile-start.mjs. Do not edit." },
});
mkdirSync(join(root, "dist"), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, result.outputFiles[0].contents);
renameSync(tmp, out);
