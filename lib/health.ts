import "server-only";
import { db } from "./db/client";
import { migrationNames } from "./db/migrations-dir";

// Database reachable and every migration in prisma/migrations applied. Nothing more is said.
export async function checkHealth(): Promise<{ ok: boolean; database: "ok" | "down"; migrations: "current" | "pending" | "unknown" }> {
  try {
    const rows = await db().$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((r) => r.migration_name));
    const current = (await migrationNames()).every((name) => applied.has(name));
    return { ok: current, database: "ok", migrations: current ? "current" : "pending" };
  } catch {
    return { ok: false, database: "down", migrations: "unknown" };
  }
}
