import { defineConfig } from "prisma/config";

// The URL is only read by CLI commands that talk to a database; migrations here run through
// lib/db/migrate.ts (the WebAssembly schema engine), so `prisma generate` needs none.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
