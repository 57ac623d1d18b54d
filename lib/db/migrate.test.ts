import { inject, describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "./embedded";
import { applyMigrations, createMigration } from "./migrate";
import { migrationNames } from "./migrations-dir";

describe("migrations", () => {
  it(`are current on the test database (${inject("databaseKind")}) and a second run is a no-op`, async () => {
    expect(await applyMigrations(inject("databaseUrl"))).toEqual([]);
  });

  it("apply on a fresh PGlite, then do nothing the second time", async () => {
    const database = await startEmbeddedDatabase();
    try {
      const names = await migrationNames();
      expect(names.length).toBeGreaterThan(0);
      expect(await applyMigrations(database.url)).toEqual(names);
      expect(await applyMigrations(database.url)).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("match prisma/schema.prisma: db:migration finds nothing to write", async () => {
    expect(await createMigration("should_be_empty")).toBeNull();
  });
});
