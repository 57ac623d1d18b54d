// Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter: the native
// engine cannot be downloaded on an offline machine. Used by the migration runner and the CLI only.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);
let wasmReady: Promise<typeof import("@prisma/schema-engine-wasm/schema_engine_bg")> | undefined;

// The package's ESM entry imports the .wasm file directly, which Node refuses; instantiate it by hand.
function loadWasm() {
  wasmReady ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        process.stderr.write(`schema engine panicked: ${message}\n`);
      },
    };
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const dir = dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bytes = await readFile(join(dir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bg;
  })();
  return wasmReady;
}

// The engine describes a live schema through catalog queries that return PostgreSQL's one-byte
// "char" type (OID 18), which the pg adapter does not map. Report those columns as text to pg and
// as Character to the engine, so describing a schema (drift checks, diffs from migrations) works.
const PG_CHAR = 18;
const PG_TEXT = 25;

function charAwareAdapterFactory(connectionString: string) {
  let charColumns = new Set<string>();
  const pool = new pg.Pool({ connectionString, max: 1 });
  const retype = (res: pg.QueryResult | undefined) => {
    for (const field of res?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR) {
        field.dataTypeID = PG_TEXT;
        charColumns.add(field.name);
      }
    }
    return res;
  };
  const wrapQuery = <T extends { query: (...a: never[]) => unknown }>(target: T) => {
    const original = target.query.bind(target) as (...a: unknown[]) => unknown;
    (target as { query: unknown }).query = (...args: unknown[]) => {
      const r = original(...args);
      return r instanceof Promise ? r.then(retype) : r;
    };
  };
  wrapQuery(pool);
  pool.on("connect", (client) => wrapQuery(client));
  const factory = new PrismaPg(pool);
  const wrapAdapter = (adapter: SqlDriverAdapter) => {
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      charColumns = new Set();
      const result = await queryRaw(query);
      result.columnNames.forEach((name, i) => {
        if (charColumns.has(name)) result.columnTypes[i] = ColumnTypeEnum.Character;
      });
      return result;
    };
    return adapter;
  };
  return { factory, wrapAdapter, pool };
}

export interface EngineHandle {
  engine: SchemaEngine;
  close(): Promise<void>;
}

// `shadowUrl`: an empty database the engine may use to replay migrations (diffs from history).
export async function openSchemaEngine(opts: {
  url: string;
  shadowUrl?: string;
  datamodel: { path: string; content: string };
  log?: (line: string) => void;
}): Promise<EngineHandle> {
  const bg = await loadWasm();
  const main = charAwareAdapterFactory(opts.url);
  const shadow = opts.shadowUrl ? charAwareAdapterFactory(opts.shadowUrl) : undefined;
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: main.factory.provider,
    adapterName: main.factory.adapterName,
    connect: async () => main.wrapAdapter(await main.factory.connect()),
    connectToShadowDb: async () => {
      if (!shadow) throw new Error("this operation needs a shadow database");
      return shadow.wrapAdapter(await shadow.factory.connect());
    },
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[opts.datamodel.path, opts.datamodel.content]] },
    opts.log ?? (() => {}),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    async close() {
      engine.free();
      await main.pool.end();
      await shadow?.pool.end();
    },
  };
}
