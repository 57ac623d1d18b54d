import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "./embedded";

describe("embedded database", () => {
  it("keeps data across a restart of the same data dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vault-pglite-"));
    try {
      let database = await startEmbeddedDatabase({ dataDir: dir });
      let client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query("CREATE TABLE kept (id int primary key, note text)");
      await client.query("INSERT INTO kept VALUES (1, 'survives')");
      await client.end();
      await database.close();

      database = await startEmbeddedDatabase({ dataDir: dir });
      client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query("SELECT note FROM kept WHERE id = 1");
      // Small shared buffers, every start: they sit in WebAssembly memory that never shrinks.
      const { rows: buffers } = await client.query("SHOW shared_buffers");
      await client.end();
      await database.close();
      expect(rows).toEqual([{ note: "survives" }]);
      expect(buffers).toEqual([{ shared_buffers: "16MB" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets several connections share the one PGlite session without mixing their statements", async () => {
    const database = await startEmbeddedDatabase();
    const a = new pg.Pool({ connectionString: database.url, max: 4 });
    const b = new pg.Pool({ connectionString: database.url, max: 4 });
    try {
      await a.query("CREATE TABLE t (id int primary key, v text)");
      const work = Array.from({ length: 120 }, async (_, i) => {
        const pool = i % 2 ? a : b;
        if (i % 4 === 0) {
          const c = await pool.connect();
          try {
            await c.query("BEGIN");
            await c.query("INSERT INTO t VALUES ($1, $2)", [i, `x${i}`]);
            const r = await c.query("SELECT v FROM t WHERE id = $1", [i]);
            await c.query(i % 8 === 0 ? "ROLLBACK" : "COMMIT");
            return r.rows[0].v === `x${i}`;
          } finally {
            c.release();
          }
        }
        const r = await pool.query("SELECT $1::int + 1 AS n, $2::text AS s", [i, `s${i}`]);
        return r.rows[0].n === i + 1 && r.rows[0].s === `s${i}`;
      });
      expect((await Promise.all(work)).every(Boolean)).toBe(true);
      const { rows } = await a.query("SELECT count(*)::int AS n FROM t");
      expect(rows[0].n).toBe(15); // 30 transactions, half rolled back
    } finally {
      await a.end();
      await b.end();
      await database.close();
    }
  });
});
