// The embedded default: PGlite (PostgreSQL in WebAssembly) persisted in a directory, served on a
// loopback port so the same pg driver adapter, Prisma client and migrations work unchanged.
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
  url: string;
  close(): Promise<void>;
}

const SYNC = 0x53; // 'S': ends an extended-protocol batch
const QUERY = 0x51; // 'Q': a simple query is a batch by itself
const TERMINATE = 0x58; // 'X'

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// PGlite is one backend session. pglite-socket's own queue keeps a transaction on one connection,
// but lets another connection's Parse land between a Parse and its Bind outside a transaction.
// This queue keeps a connection's turn until the session is idle again (batch ended with Sync or
// a simple Query, and no transaction open), so several connections (the server's pool, the CLI, a
// second test worker) can share one embedded database safely.
class SessionQueue {
  private queue: Pending[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  private async process() {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
        if (index === -1) break; // the owning connection's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        const batchOpen = type !== SYNC && type !== QUERY && type !== TERMINATE && type !== 0;
        this.owner = batchOpen || this.db.isInTransaction() ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength() {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number) {
    this.queue = this.queue.filter((p) => {
      if (p.handlerId !== handlerId) return true;
      p.reject(new Error("connection closed"));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number) {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    await this.process();
  }
}

// dataDir undefined: in memory (tests and throwaway shadow databases).
export async function startEmbeddedDatabase(dataDir?: string): Promise<EmbeddedDatabase> {
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 64 });
  (server as unknown as { queryQueue: SessionQueue }).queryQueue = new SessionQueue(db);
  await server.start();
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  let closed: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    close() {
      closed ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return closed;
    },
  };
}
