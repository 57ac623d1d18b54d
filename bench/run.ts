// `npm run bench`: the vault's speed, as ratios against a raw baseline measured in the same run
// on the same database (plain SQL through pg, and the bare crypto). Nothing here asserts a time.
//   BENCH_SECRETS (default 100000): secrets in the large project
//   BENCH_DATABASE_URL: PostgreSQL to use instead of an in-memory PGlite
import { randomBytes, randomUUID } from "node:crypto";
import { writeResults } from "./common";
import pg from "pg";

const N = Number(process.env.BENCH_SECRETS ?? 100_000);
const say = (line: string) => process.stdout.write(line + "\n");

async function timeIt(runs: number, fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function main() {
  const { startEmbeddedDatabase } = await import("../lib/db/embedded");
  const { applyMigrations } = await import("../lib/db/migrate");
  let url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  const onPostgres = Boolean(url);
  let close = async () => {};
  if (!url) {
    const database = await startEmbeddedDatabase();
    url = database.url;
    close = database.close;
  }
  Object.assign(process.env, {
    DATABASE_URL: url,
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    VAULT_DB_POOL_MAX: "1",
  });
  await applyMigrations(url);

  const { OPERATOR } = await import("../lib/auth/actor");
  const { createUser } = await import("../lib/users/create-user");
  const { createProject } = await import("../lib/projects/create-project");
  const { createSecret } = await import("../lib/secrets/create-secret");
  const { listSecrets, encodeCursor } = await import("../lib/secrets/list-secrets");
  const { cloneSecrets } = await import("../lib/secrets/clone-secrets");
  const { seal, open, KeyRing, secretBinding } = await import("../lib/crypto/envelope");
  const { disconnectDb } = await import("../lib/db/client");

  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const suffix = randomBytes(3).toString("hex");
  await createUser({ email: `bench-${suffix}@example.com`, password: "bench-password", admin: true });
  const big = await createProject(OPERATOR, { slug: `bench-big-${suffix}`, name: "Bench big", ownerEmail: `bench-${suffix}@example.com` });
  const src = await createProject(OPERATOR, { slug: `bench-src-${suffix}`, name: "Bench source", ownerEmail: `bench-${suffix}@example.com` });

  say(`seeding ${N} secrets…`);
  const seedStart = performance.now();
  await raw.query(
    `INSERT INTO "Secret" (id, "projectId", name, description, hint, "updatedAt")
     SELECT gen_random_uuid(), $1, 'SECRET_' || lpad(i::text, 6, '0'), 'seeded secret number ' || i, '••••••••', now()
     FROM generate_series(1, $2) AS i`,
    [big.id, N],
  );
  // Statistics, as autovacuum would gather shortly after: without them a plan is a guess.
  await raw.query(`ANALYZE "Secret"`);
  say(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  // The targets (vault ÷ raw), where it names one.
  const TARGETS: [RegExp, string][] = [[/^search name prefix/, "≤ 2×, < 10 ms"], [/^clone 500/, "≤ 2×"]];
  const targetOf = (name: string) => TARGETS.find(([re]) => re.test(name))?.[1] ?? "";
  const rows: { name: string; vault: number; raw: number }[] = [];
  const compare = async (name: string, runs: number, vault: () => Promise<unknown>, baseline: () => Promise<unknown>) => {
    const b = await timeIt(runs, baseline);
    const v = await timeIt(runs, vault);
    rows.push({ name, vault: v, raw: b });
  };

  const columns = `id, name, description, type, metadata, storage, "referencePath", hint, "currentVersion", "createdAt", "updatedAt"`;
  const rawPage = (after: string, limit = 51) =>
    raw.query(`SELECT ${columns} FROM "Secret" WHERE "projectId" = $1 AND name > $2 ORDER BY name LIMIT ${limit}`, [big.id, after]);
  const nameAt = (i: number) => `SECRET_${String(i).padStart(6, "0")}`;
  for (const [label, after] of [["first page", ""], ["middle page", nameAt(Math.floor(N / 2))], ["last page", nameAt(N - 10)]]) {
    await compare(`list 50 of ${N}: ${label}`, 15, () => listSecrets(OPERATOR, { projectId: big.id, first: 50, after: after ? encodeCursor(after) : null }), () => rawPage(after));
  }
  // Deep keyset paging, 100 a page: page 1,000 starts after the 99,900th name (the cursor a client
  // walking the pages would hold) and should cost what page 1 does.
  const deep = Math.max(1, Math.min(1000, Math.floor(N / 100)));
  const deepLabel = `page ${deep.toLocaleString("en")}`;
  const deepPages: [string, string][] = [["page 1", ""], [deepLabel, deep > 1 ? nameAt((deep - 1) * 100) : ""]];
  const listPage = (after: string) => () => listSecrets(OPERATOR, { projectId: big.id, first: 100, after: after ? encodeCursor(after) : null });
  for (const [label, after] of deepPages) await compare(`list 100 of ${N}: ${label}`, 25, listPage(after), () => rawPage(after, 101));
  // Their ratio from alternating samples, so a change in the machine's load hits both alike.
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < 41; i++) {
    for (const k of [0, 1] as const) {
      const t = performance.now();
      await listPage(deepPages[k][1])();
      samples[k].push(performance.now() - t);
    }
  }
  const [page1, pageDeep] = samples.map((x) => x.sort((a, b) => a - b)[20]);
  // Name prefix: the raw baseline is the best plain SQL for it, the index range on (projectId, name)
  // (names compare byte by byte, COLLATE "C"), same columns and page as the service.
  // The prefix of the last 100 names ("secret_0999" at 100,000), typed in lower case.
  const prefix = nameAt(N - 1).slice(0, -2);
  const prefixEnd = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  await compare(
    `search name prefix in ${N}`,
    25,
    () => listSecrets(OPERATOR, { projectId: big.id, first: 50, search: prefix.toLowerCase() }),
    () => raw.query(`SELECT ${columns} FROM "Secret" WHERE "projectId" = $1 AND name >= $2 AND name < $3 ORDER BY name LIMIT 51`, [big.id, prefix, prefixEnd]),
  );
  // Description words: a scan of the project on both sides (no index serves a substring).
  await compare(
    `search description words in ${N}`,
    7,
    () => listSecrets(OPERATOR, { projectId: big.id, first: 50, search: "number 99999" }),
    () =>
      raw.query(
        `SELECT ${columns} FROM "Secret" WHERE "projectId" = $1 AND description ILIKE '%number%' AND description ILIKE '%99999%' ORDER BY name LIMIT 51`,
        [big.id],
      ),
  );

  // Create: the service (validation, permission check, sealing, transaction with audit row) against
  // one raw sealed insert.
  const ring = new KeyRing([process.env.SECRETS_ENCRYPTION_KEY!]);
  let c = 0;
  await compare(
    "create one secret",
    30,
    () => createSecret(OPERATOR, { projectSlug: src.slug, name: `CREATED_${c++}`, value: randomBytes(24).toString("hex") }),
    async () => {
      const id = randomUUID();
      const sealed = seal(ring, secretBinding(src.id, id, 1), randomBytes(24));
      await raw.query(`INSERT INTO "Secret" (id, "projectId", name, hint, "updatedAt") VALUES ($1, $2, $3, '••••••••', now())`, [id, src.id, `RAW_${c++}`]);
      await raw.query(`INSERT INTO "SecretVersion" (id, "secretId", version, storage, ciphertext, "wrappedKey", "keyId") VALUES ($1, $2, 1, 'DATABASE', $3, $4, $5)`, [
        randomUUID(), id, sealed.ciphertext, sealed.wrappedKey, sealed.keyId,
      ]);
    },
  );

  // Clone 500: the service against decrypt + re-encrypt + multi-row inserts of the secrets, their
  // versions and the audit rows the vault must write (one a secret and the summary) in one transaction.
  const clone = await createProject(OPERATOR, { slug: `bench-clone-${suffix}`, name: "Clone source", ownerEmail: `bench-${suffix}@example.com` });
  for (let i = 0; i < 500; i++) await createSecret(OPERATOR, { projectSlug: clone.slug, name: `CLONE_${String(i).padStart(3, "0")}`, value: `value-${i}-${randomBytes(8).toString("hex")}` });
  let t = 0;
  await compare(
    "clone 500 secrets",
    3,
    async () => {
      const target = await createProject(OPERATOR, { slug: `bench-t-${suffix}-${t++}`, name: "t", ownerEmail: `bench-${suffix}@example.com` });
      await cloneSecrets(OPERATOR, { sourceProjectSlug: clone.slug, targetProjectSlug: target.slug, all: true });
    },
    async () => {
      const target = await createProject(OPERATOR, { slug: `bench-r-${suffix}-${t++}`, name: "r", ownerEmail: `bench-${suffix}@example.com` });
      const { rows: versions } = await raw.query(
        `SELECT s.id, s.name, v.version, v.ciphertext, v."wrappedKey", v."keyId" FROM "Secret" s JOIN "SecretVersion" v ON v."secretId" = s.id AND v.version = s."currentVersion" WHERE s."projectId" = $1`,
        [clone.id],
      );
      const ids: string[] = [], names: string[] = [], vids: string[] = [], cts: Buffer[] = [], wks: Buffer[] = [], kids: string[] = [];
      for (const v of versions) {
        const value = open(ring, secretBinding(clone.id, v.id, v.version), { ciphertext: v.ciphertext, wrappedKey: v.wrappedKey, keyId: v.keyId });
        const id = randomUUID();
        const sealed = seal(ring, secretBinding(target.id, id, 1), value);
        ids.push(id); names.push(v.name); vids.push(randomUUID()); cts.push(sealed.ciphertext); wks.push(sealed.wrappedKey); kids.push(sealed.keyId);
      }
      await raw.query("BEGIN");
      await raw.query(`INSERT INTO "Secret" (id, "projectId", name, hint, "updatedAt") SELECT unnest($1::uuid[]), $2, unnest($3::text[]), '••••••••', now()`, [ids, target.id, names]);
      await raw.query(
        `INSERT INTO "SecretVersion" (id, "secretId", version, storage, ciphertext, "wrappedKey", "keyId") SELECT unnest($1::uuid[]), unnest($2::uuid[]), 1, 'DATABASE', unnest($3::bytea[]), unnest($4::bytea[]), unnest($5::text[])`,
        [vids, ids, cts, wks, kids],
      );
      await raw.query(
        `INSERT INTO "AuditEvent" ("projectId", "actorLabel", action, "secretId", "secretName", details, client)
         SELECT $1::uuid, 'operator', 'secret.clone', unnest($2::uuid[]), unnest($3::text[]), jsonb_build_object('from', $4::text, 'outcome', 'CREATED'), 'cli'
         UNION ALL SELECT $5::uuid, 'operator', 'secrets.clone_out', NULL, NULL, jsonb_build_object('to', $6::text, 'count', 500, 'names', to_jsonb($3::text[])), 'cli'`,
        [target.id, ids, names, clone.slug, clone.id, target.slug],
      );
      await raw.query("COMMIT");
    },
  );

  say("");
  say(`in process (services vs raw SQL) — database: ${onPostgres ? "PostgreSQL" : "PGlite (in memory)"}; median of runs`);
  say("| operation | vault (ms) | raw baseline (ms) | ratio | target |");
  say("|---|---:|---:|---:|---|");
  for (const r of rows) say(`| ${r.name} | ${r.vault.toFixed(1)} | ${r.raw.toFixed(1)} | ${(r.vault / r.raw).toFixed(2)}× | ${targetOf(r.name)} |`);
  say(`\nkeyset paging, 100 a page, alternating samples: ${deepLabel} ${pageDeep.toFixed(1)} ms vs page 1 ${page1.toFixed(1)} ms: ${(pageDeep / page1).toFixed(2)}× (target ≤ 1.2×)`);
  // Beside the HTTP figures (bench/http.ts) in the same file.
  const inProcess = { at: new Date().toISOString(), database: onPostgres ? "postgres" : "pglite", secrets: N, rows: rows.map((r) => ({ ...r, ratio: r.vault / r.raw })), deepPage: { page: deep, ms: pageDeep, page1: page1, ratio: pageDeep / page1 } };
  writeResults("inProcess", inProcess);

  await raw.end();
  await disconnectDb();
  await close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
