// The attack: PGlite has no passwords, so anything that can reach the embedded database's socket owns
// it (insert a token row, read every secret through the vault), and a connection that opens a
// transaction and goes silent freezes every other connection. These tests attack the real thing.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { parse } from "pg-connection-string";
import { afterEach, describe, expect, it } from "vitest";
import { idleInTransactionTimeoutFrom } from "./connect";
import { SOCKET_NAME, startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function tempDir(prefix = "vault-access-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serve(options: Parameters<typeof startEmbeddedDatabase>[0]): Promise<EmbeddedDatabase> {
  const database = await startEmbeddedDatabase(options);
  cleanup.push(() => database.close());
  return database;
}

async function client(url: string, errors: Error[] = []) {
  const c = new pg.Client({ connectionString: url });
  c.on("error", (error) => errors.push(error));
  await c.connect();
  cleanup.push(() => c.end().catch(() => {}));
  return c;
}

// TCP ports this process listens on (Linux: its socket inodes matched against /proc/net/tcp{,6}).
function tcpListenPorts(): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").trim().split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A" && inodes.has(cols[9])) ports.push(parseInt(cols[1].split(":")[1], 16));
    }
  }
  return ports.sort((a, b) => a - b);
}

// Fails with a message instead of hanging until the test's timeout.
async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

// Another local user tries to open a connection to whatever the database URL points at.
function connectAsNobody(url: string): string {
  const config = parse(url);
  const target = config.host?.startsWith("/") ? { path: join(config.host, `.s.PGSQL.${config.port || 5432}`) } : { host: config.host, port: Number(config.port) };
  const script = `const s = require("net").connect(${JSON.stringify(target)});
s.on("connect", () => { process.stdout.write("connected"); s.destroy(); });
s.on("error", (e) => process.stdout.write(e.code || e.message));`;
  const run = spawnSync(process.execPath, ["-e", script], { uid: NOBODY, gid: NOBODY, cwd: "/", encoding: "utf8", timeout: 20_000 });
  return run.stdout || run.stderr;
}

describe("embedded database access", () => {
  it("is served on a Unix socket inside the 0700 data dir and listens on no TCP port", async () => {
    const dataDir = join(tempDir(), "data");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755); // pre-existing and readable by everyone: must be tightened
    const logged: string[] = [];
    const before = process.platform === "linux" ? tcpListenPorts() : [];
    const database = await serve({ dataDir, log: (l) => logged.push(l) });

    if (process.platform === "linux") expect(tcpListenPorts()).toEqual(before);
    const config = parse(database.url);
    expect(config.host).toBe(dataDir);
    expect(config.port || "").toBe("");
    expect(database.socketPath).toBe(join(dataDir, SOCKET_NAME));
    expect(lstatSync(database.socketPath).isSocket()).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(lstatSync(database.socketPath).mode & 0o777).toBe(0o600);
    expect(logged.join("\n")).toContain("set its mode to 0700");

    const c = await client(database.url);
    const { rows } = await c.query("SELECT 41 + 1 AS n");
    expect(rows).toEqual([{ n: 42 }]);
  });

  it.skipIf(!isRoot)("refuses a connection from another local user", async () => {
    const dataDir = join(tempDir(), "data");
    const database = await serve({ dataDir });
    chmodSync(join(dataDir, ".."), 0o755); // the attacker may walk up to the data dir, not into it
    expect(connectAsNobody(database.url)).toBe("EACCES");
  });

  it("refuses to serve a data dir that another process is serving, and replaces a dead server's socket", async () => {
    const dataDir = join(tempDir(), "data");
    const first = await serve({ dataDir });
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(/another process is serving/);
    await first.close();

    // A server killed without cleaning up leaves its socket file behind.
    const script = `require("net").createServer().listen(${JSON.stringify(join(dataDir, SOCKET_NAME))}, () => process.stdout.write("up"))`;
    const crashed = spawn(process.execPath, ["-e", script]);
    await new Promise((resolve) => crashed.stdout.once("data", resolve));
    crashed.kill("SIGKILL");
    await new Promise((resolve) => crashed.once("exit", resolve));
    expect(lstatSync(join(dataDir, SOCKET_NAME)).isSocket()).toBe(true);
    const second = await serve({ dataDir });
    const c = await client(second.url);
    expect((await c.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("puts the socket in a private temp dir when the data dir's path is too long for one", async () => {
    const dataDir = join(tempDir(), "d".repeat(60), "e".repeat(60));
    const logged: string[] = [];
    const database = await serve({ dataDir, log: (l) => logged.push(l) });
    const host = parse(database.url).host!;
    expect(host.startsWith(tmpdir())).toBe(true);
    expect(statSync(host).mode & 0o777).toBe(0o700);
    expect(logged.join("\n")).toContain("too long for a Unix socket");
    const c = await client(database.url);
    expect((await c.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await c.end();
    await database.close();
    expect(existsSync(host)).toBe(false);
  });

  it("cuts off a connection idle in a transaction: its writes are rolled back and the query waiting behind it completes", async () => {
    const logged: string[] = [];
    const database = await serve({ dataDir: join(tempDir(), "data"), idleInTransactionTimeoutMs: 400, log: (l) => logged.push(l) });
    const holderErrors: Error[] = [];
    const holder = await client(database.url, holderErrors);
    await holder.query("CREATE TABLE held (note text)");
    await holder.query("BEGIN");
    await holder.query("INSERT INTO held VALUES ('CANARY_held_write')");
    const silentSince = Date.now();

    const { waiter, rows } = await within(
      10_000,
      client(database.url).then(async (waiter) => ({ waiter, rows: (await waiter.query("SELECT count(*)::int AS n FROM held")).rows })),
      "the connection waiting behind the idle transaction",
    );
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(350);
    expect(rows).toEqual([{ n: 0 }]);

    await expect(holder.query("COMMIT")).rejects.toThrow();
    expect(holderErrors.map((e) => e.message).join("\n")).toContain("idle-in-transaction timeout");
    expect((await waiter.query("SELECT count(*)::int AS n FROM held")).rows).toEqual([{ n: 0 }]);
    expect(logged.filter((l) => l.includes("idle in a transaction"))).toHaveLength(1);
    expect(logged.join("\n")).not.toMatch(/CANARY|INSERT/);
  });

  it("leaves alone a transaction that keeps talking, however long it lasts", async () => {
    // Pauses of a quarter of the timeout, for twice the timeout in all.
    const database = await serve({ dataDir: join(tempDir(), "data"), idleInTransactionTimeoutMs: 800 });
    const c = await client(database.url);
    await c.query("CREATE TABLE busy (i int)");
    await c.query("BEGIN");
    for (let i = 0; i < 8; i++) {
      await c.query("INSERT INTO busy VALUES ($1)", [i]);
      await new Promise((r) => setTimeout(r, 200));
    }
    await c.query("COMMIT");
    expect((await c.query("SELECT count(*)::int AS n FROM busy")).rows).toEqual([{ n: 8 }]);
  });

  it("rolls back at once the transaction of a connection that dies holding the session", async () => {
    const database = await serve({ dataDir: join(tempDir(), "data"), idleInTransactionTimeoutMs: 60_000 });
    const dying = await client(database.url, []);
    await dying.query("CREATE TABLE orphan (note text)");
    await dying.query("BEGIN");
    await dying.query("INSERT INTO orphan VALUES ('never committed')");
    // The waiter's connection itself waits behind the open transaction.
    const waiting = client(database.url).then((waiter) => waiter.query("SELECT count(*)::int AS n FROM orphan"));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    (dying as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await within(5_000, waiting, "the connection waiting behind the dead one");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("reads the timeout from VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS without echoing a bad value", () => {
    expect(idleInTransactionTimeoutFrom({})).toBe(30_000);
    expect(idleInTransactionTimeoutFrom({ VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS: "2500" })).toBe(2500);
    for (const bad of ["soon", "-5", "0", "1e9"]) {
      expect(() => idleInTransactionTimeoutFrom({ VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS: bad })).toThrow(/^VAULT_EMBEDDED_IDLE_TX_TIMEOUT_MS must be a whole number of milliseconds, at least 100$/);
    }
  });
});
