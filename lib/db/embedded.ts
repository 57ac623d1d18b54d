// The embedded default: PGlite (PostgreSQL in WebAssembly) persisted in a directory, served on a Unix
// socket so the same pg driver adapter, Prisma client and migrations work unchanged.
//
// PGlite has no authentication: whoever reaches the socket is the database owner. So it is never
// served on a TCP port (any local process could connect) but on a Unix socket inside the data dir,
// which is mode 0700 and owned by the user running the vault, like a PostgreSQL socket directory:
// other users cannot even reach the socket file. pg connects to it with `?host=<dir>`.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createConnection, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
  url: string;
  socketPath: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  // The vault's data dir: PGlite in <dataDir>/pgdata, the socket in <dataDir>. Unset: an in-memory
  // database (tests, throwaway shadow databases) on a socket in a fresh 0700 temp dir.
  dataDir?: string;
  // A connection that holds the session (inside a transaction, or between the messages of one
  // statement) and sends nothing for this long is rolled back and closed.
  idleInTransactionTimeoutMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
// node-postgres connects to `<host>/.s.PGSQL.<port>` when host is a directory (port 5432 by default).
export const SOCKET_NAME = ".s.PGSQL.5432";
// A socket path must fit in sockaddr_un.sun_path: 108 bytes on Linux, 104 on macOS, NUL included.
const MAX_SOCKET_PATH_BYTES = 103;
const MAX_CONNECTIONS = 64;

const SYNC = 0x53; // 'S': ends an extended-protocol batch
const QUERY = 0x51; // 'Q': a simple query is a batch by itself
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

// A FATAL ErrorResponse, sent before closing a connection so its client reports why.
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, "utf8");
  const head = Buffer.alloc(5);
  head[0] = 0x45; // 'E'
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

interface QueueOptions {
  idleInTransactionTimeoutMs: number;
  log: (line: string) => void;
  // Sends the client a FATAL error and closes its socket.
  terminate: (handlerId: number) => void;
}

// PGlite is one backend session. pglite-socket's own queue keeps a transaction on one connection,
// but lets another connection's Parse land between a Parse and its Bind outside a transaction.
// This queue keeps a connection's turn until the session is idle again (batch ended with Sync or
// a simple Query, and no transaction open), so several connections (the server's pool, the CLI, a
// second test worker) can share one embedded database safely.
//
// Holding the turn holds every other connection: a connection that keeps it and goes silent for
// idleInTransactionTimeoutMs is cut off (its transaction rolled back, its socket closed), and one
// that closes while holding it is rolled back at once.
class SessionQueue {
  private queue: Pending[] = [];
  private processing = false;
  private loop: Promise<void> = Promise.resolve();
  // The connection whose turn it is between its messages, and whether it is mid-batch.
  private owner: number | null = null;
  private ownerBatchOpen = false;
  // The connection whose message PGlite is executing right now.
  private running: number | null = null;
  // Connections that may not run anything again. "cut-off" stays until the connection is detached:
  // a message already on its way must not run outside the transaction that was rolled back.
  // "closed" stays until the session no longer waits on that connection.
  private ended = new Map<number, "cut-off" | "closed">();
  private idle: { handlerId: number; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly db: PGlite,
    private readonly options: QueueOptions,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.ended.has(handlerId)) return Promise.reject(new Error("connection closed"));
    if (this.idle?.handlerId === handlerId) this.disarm(); // the owner is talking again
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  // The loop checks the queue for the last time and clears `processing` in the same synchronous
  // step, so a message enqueued while it runs is never left behind.
  private process(): Promise<void> {
    if (this.processing) return this.loop;
    this.processing = true;
    this.loop = (async () => {
      try {
        for (;;) {
          if (this.owner !== null && this.ended.has(this.owner)) await this.release();
          if (this.queue.length === 0) break;
          const index = this.owner === null ? 0 : this.queue.findIndex((p) => p.handlerId === this.owner);
          if (index === -1) break; // the owning connection's next message has not arrived yet
          const [item] = this.queue.splice(index, 1);
          if (this.ended.has(item.handlerId)) {
            item.reject(new Error("connection closed"));
            continue;
          }
          let bytes = 0;
          this.running = item.handlerId;
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
          } finally {
            this.running = null;
          }
          const type = item.message[0];
          const batchOpen = type !== SYNC && type !== QUERY && type !== TERMINATE && type !== 0;
          const holds = batchOpen || this.db.isInTransaction();
          this.owner = holds ? item.handlerId : null;
          this.ownerBatchOpen = holds && batchOpen;
          item.resolve(bytes);
          if (!holds && this.ended.get(item.handlerId) === "closed") this.ended.delete(item.handlerId);
        }
      } finally {
        this.processing = false;
        this.armIdleTimer();
      }
    })();
    return this.loop;
  }

  // Gives the session back from an owner that is gone: end its batch, roll back its transaction.
  private async release() {
    const handlerId = this.owner!;
    try {
      if (this.ownerBatchOpen) {
        await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => {} }));
      }
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch (error) {
      if (!this.db.closed) this.options.log(`embedded database: could not roll back connection #${handlerId}: ${(error as Error).message}`);
    } finally {
      this.owner = null;
      this.ownerBatchOpen = false;
      if (this.ended.get(handlerId) === "closed") this.ended.delete(handlerId);
    }
  }

  // Runs when the loop stops: the owner (if any) holds the session and its next message is not here.
  private armIdleTimer() {
    const owner = this.owner;
    if (owner === null || this.ended.has(owner)) return this.disarm();
    if (this.idle?.handlerId === owner) return; // still the same silence
    this.disarm();
    const ms = this.options.idleInTransactionTimeoutMs;
    if (!(ms > 0)) return;
    const timer = setTimeout(() => this.cutOff(owner, ms), ms);
    timer.unref();
    this.idle = { handlerId: owner, timer };
  }

  private disarm() {
    if (this.idle) clearTimeout(this.idle.timer);
    this.idle = null;
  }

  private cutOff(handlerId: number, ms: number) {
    this.idle = null;
    if (this.owner !== handlerId || this.processing) return; // it moved on meanwhile
    const where = this.db.isInTransaction() ? "in a transaction" : "in the middle of a statement";
    this.ended.set(handlerId, "cut-off");
    this.clearQueueForHandler(handlerId);
    this.options.log(`embedded database: connection #${handlerId} sat idle ${where} for ${ms} ms while holding the session: rolled back and closed`);
    void this.process(); // rolls back first: nothing else runs before the release
    this.options.terminate(handlerId);
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

  // Called by pglite-socket when a connection is detached (closed by the client, killed, or cut off).
  async clearTransactionIfNeeded(handlerId: number) {
    if (this.owner !== handlerId && this.running !== handlerId) {
      this.ended.delete(handlerId);
      return;
    }
    // It holds the session, or its message is running and may open a transaction: the loop releases
    // the session as soon as that message is done.
    this.ended.set(handlerId, "closed");
    await this.process();
  }

  // Waits for the loop to stop and the idle timer to be gone (shutdown).
  async stop() {
    await this.loop;
    this.disarm();
  }
}

// The data dir holds the keys, server.json and the socket: it must be this user's and nobody else's.
// A data dir that exists with a wider mode (made by hand, or by an older version) is tightened.
function ensurePrivateDir(dir: string, log: (line: string) => void) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new Error(`${dir} belongs to another user: the embedded database is only served from a data dir of the user running the vault`);
  }
  if ((stat.mode & 0o077) !== 0) {
    chmodSync(dir, 0o700);
    log(`${dir} was readable by other users: set its mode to 0700`);
  }
}

const socketPathFits = (dir: string) => Buffer.byteLength(join(dir, SOCKET_NAME)) <= MAX_SOCKET_PATH_BYTES;

// Where the socket goes. In a data dir whose path is too long for a socket path, and for in-memory
// databases, the fallback is a fresh directory under the system temp dir: mkdtemp creates it 0700
// and unguessable, it is removed on close, and its path is in the URL the launcher writes to
// server.json (mode 0600, in the data dir), which is how the CLI finds it.
function socketDirFor(dataDir: string | undefined, log: (line: string) => void): { dir: string; temporary: boolean } {
  if (dataDir && socketPathFits(dataDir)) return { dir: dataDir, temporary: false };
  const dir = mkdtempSync(join(tmpdir(), "vault-db-"));
  chmodSync(dir, 0o700);
  if (!socketPathFits(dir)) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot place the embedded database's socket: ${join(dir, SOCKET_NAME)} is longer than ${MAX_SOCKET_PATH_BYTES} bytes (set TMPDIR to a shorter directory)`);
  }
  if (dataDir) log(`the data dir's path is too long for a Unix socket: the embedded database is served on ${join(dir, SOCKET_NAME)}`);
  return { dir, temporary: true };
}

// A socket file left by a server that died is removed; one that answers means the data dir is served.
async function clearStaleSocket(path: string) {
  try {
    if (!lstatSync(path).isSocket()) throw new Error(`${path} exists and is not a socket: move it away`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const answers = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (answers) throw new Error(`another process is serving the embedded database on ${path}`);
  rmSync(path, { force: true });
}

// PostgreSQL's 128 MB of shared buffers live inside PGlite's WebAssembly memory, which never shrinks:
// 16 MB keeps about 110 MB less resident under load (a vault's working set is small; pages outside
// the buffers come from the OS cache).
const PGLITE_OPTIONS = { startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"] };

// Creating a cluster (initdb) leaves a process about 100 MB larger than opening one does, for good
// (WebAssembly and malloc memory is not handed back): it runs in a short-lived process of its own,
// so a first start serves with what a restart has.
function createClusterApart(pgdata: string) {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve("@electric-sql/pglite")).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); await (await PGlite.create(${JSON.stringify(pgdata)})).close();`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) throw new Error(`could not create the embedded database in ${pgdata}: ${run.stderr.trim().split("\n").pop()}`);
}

export async function startEmbeddedDatabase(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[vault] ${line}\n`));
  const { dataDir } = options;
  if (dataDir) ensurePrivateDir(dataDir, log);
  const socketDir = socketDirFor(dataDir, log);
  const socketPath = join(socketDir.dir, SOCKET_NAME);
  const removeSocket = () => rmSync(socketDir.temporary ? socketDir.dir : socketPath, { recursive: true, force: true });

  let db: PGlite | undefined;
  const connections = new Map<number, { handler: PGLiteSocketHandler; socket: Socket }>();
  let queue!: SessionQueue; // set before the server listens
  let accepting = true;
  const refuse = (socket: Socket, message: Buffer) => socket.end(message, () => socket.destroy());
  const server = createServer((socket) => {
    if (!accepting) return refuse(socket, fatal("57P01", "the embedded database is shutting down"));
    if (connections.size >= MAX_CONNECTIONS) return refuse(socket, fatal("53300", "sorry, too many clients already"));
    const handler = new PGLiteSocketHandler({ queryQueue: queue as unknown as PGLiteSocketHandlerOptions["queryQueue"], closeOnDetach: true });
    const forget = () => connections.delete(handler.handlerId);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    connections.set(handler.handlerId, { handler, socket });
    void handler.attach(socket);
  });

  try {
    if (!socketDir.temporary) await clearStaleSocket(socketPath);
    const pgdata = dataDir ? join(dataDir, "pgdata") : undefined;
    const initialising = pgdata !== undefined && !existsSync(join(pgdata, "PG_VERSION"));
    if (pgdata) mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    if (initialising) createClusterApart(pgdata);
    db = await PGlite.create(pgdata, PGLITE_OPTIONS);
    queue = new SessionQueue(db, {
      idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      log,
      terminate: (handlerId) => {
        const socket = connections.get(handlerId)?.socket;
        if (socket && !socket.destroyed) refuse(socket, fatal("25P03", "terminating connection due to idle-in-transaction timeout"));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socketPath, () => {
        server.off("error", reject);
        resolve();
      });
    });
    chmodSync(socketPath, 0o600);
    server.on("error", (error) => log(`embedded database socket: ${error.message}`));
  } catch (error) {
    server.close();
    await db?.close();
    removeSocket();
    throw error;
  }

  const pglite = db;
  let closed: Promise<void> | undefined;
  return {
    url: `postgresql://postgres:postgres@localhost/postgres?host=${encodeURIComponent(socketDir.dir)}&sslmode=disable`,
    socketPath,
    close() {
      closed ??= (async () => {
        accepting = false;
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections.values()].map(({ handler }) => handler.detach(true)));
        await serverClosed;
        await queue.stop();
        await pglite.close();
        removeSocket();
      })();
      return closed;
    },
  };
}
