import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";

// npm scripts, the Next server and the tests all run from the repository root.
export const SCHEMA_PATH = resolve(process.cwd(), "prisma/schema.prisma");
export const MIGRATIONS_DIR = resolve(process.cwd(), "prisma/migrations");

export async function migrationNames(dir = MIGRATIONS_DIR): Promise<string[]> {
  // The folder is read at run time; keep the bundler from tracing the whole project for it.
  if (!existsSync(/*turbopackIgnore: true*/ dir)) return [];
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(/*turbopackIgnore: true*/ join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
}
