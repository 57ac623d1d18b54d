// The raw floor for `npm run bench`: the same work as the vault's hot requests over HTTP with no
// framework (node:http + pg + node:crypto): the same token check, the same SQL, the same envelope
// decryption (lib/crypto/envelope.ts) and the same audit insert. No GraphQL, no ORM, no validation
// beyond what the SQL needs. Never a product surface: started by bench/http.ts on loopback only.
//   POST /resolve {consumer}   POST /list {slug, first}   POST /create {slug, name, value}
//   POST /floor: no work, no token (the framework floor's baseline)
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import pg from "pg";
import { KeyRing, open, seal, secretBinding } from "../lib/crypto/envelope";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.VAULT_DB_POOL_MAX ?? 10) });
const ring = new KeyRing(process.env.SECRETS_ENCRYPTION_KEY!.split(","));
const TOKEN = /^Bearer vlt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;

async function token(header: string | undefined) {
  const m = TOKEN.exec(header ?? "");
  if (!m) return null;
  const { rows } = await pool.query(
    `SELECT t.id, t.name, t."secretHash", t.scopes, t."expiresAt", t."revokedAt", p.id AS "projectId", p.slug
     FROM "ApiToken" t JOIN "Project" p ON p.id = t."projectId" WHERE t.id = $1`,
    [uuid(m[1])],
  );
  const row = rows[0];
  if (!row) return null;
  const presented = createHash("sha256").update(m[2]).digest();
  if (!timingSafeEqual(presented, row.secretHash) || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) return null;
  return row as { id: string; name: string; scopes: string[]; projectId: string; slug: string };
}

async function resolve(t: NonNullable<Awaited<ReturnType<typeof token>>>, consumerName: string) {
  if (!t.scopes.includes("secrets:inject")) return [403, { error: "forbidden" }] as const;
  const { rows: consumers } = await pool.query(
    `SELECT c.id, coalesce((SELECT json_agg(json_build_object('secretName', a."secretName", 'alias', a.alias) ORDER BY a."secretName")
                            FROM "Attachment" a WHERE a."consumerId" = c.id), '[]') AS attachments
     FROM "Consumer" c WHERE c."projectId" = $1 AND c.name = $2`,
    [t.projectId, consumerName],
  );
  const consumer = consumers[0];
  if (!consumer) return [404, { error: "not found" }] as const;
  const names = consumer.attachments.map((a: { secretName: string }) => a.secretName);
  const { rows: secrets } = await pool.query(
    `SELECT s.id, s."projectId", s.name, s."currentVersion", v.ciphertext, v."wrappedKey", v."keyId"
     FROM "Secret" s JOIN "SecretVersion" v ON v."secretId" = s.id AND v.version = s."currentVersion"
     WHERE s."projectId" = $1 AND s.name = ANY($2::text[])`,
    [t.projectId, names],
  );
  const values = new Map<string, string>();
  for (const s of secrets) {
    const plain = open(ring, secretBinding(s.projectId, s.id, s.currentVersion), { ciphertext: s.ciphertext, wrappedKey: s.wrappedKey, keyId: s.keyId });
    values.set(s.name, plain.toString("utf8"));
    plain.fill(0);
  }
  const variables = consumer.attachments.map((a: { secretName: string; alias: string | null }) => ({ name: a.alias ?? a.secretName, value: values.get(a.secretName) }));
  const now = new Date();
  await pool.query(
    `WITH touched AS (
       UPDATE "Attachment" SET "lastResolvedAt" = $1
       WHERE id IN (SELECT id FROM "Attachment" WHERE "consumerId" = $2::uuid AND ("lastResolvedAt" IS NULL OR "lastResolvedAt" < $3)
                    ORDER BY id FOR UPDATE SKIP LOCKED)
       RETURNING 1)
     INSERT INTO "AuditEvent" ("projectId", "actorUserId", "actorTokenId", "actorLabel", action, details, client)
     VALUES ($4::uuid, NULL, $5::uuid, $6, 'environment.resolve', $7::jsonb, 'api')`,
    [now, consumer.id, new Date(now.getTime() - 10_000), t.projectId, t.id, `token:${t.name}`, JSON.stringify({ consumer: consumerName, tokenId: t.id, token: t.name, variables: variables.map((v: { name: string }) => v.name), secrets: names })],
  );
  return [200, { data: { resolveEnvironment: { variables } } }] as const;
}

async function list(t: NonNullable<Awaited<ReturnType<typeof token>>>, slug: string, first: number) {
  if (slug !== t.slug) return [404, { error: "not found" }] as const;
  const { rows } = await pool.query(
    `SELECT id, name, description, type, hint, "currentVersion" AS version, "createdAt", "updatedAt"
     FROM "Secret" WHERE "projectId" = $1 ORDER BY name LIMIT $2`,
    [t.projectId, first],
  );
  return [200, { data: { project: { secrets: { edges: rows.map((node) => ({ node })) } } } }] as const;
}

async function create(t: NonNullable<Awaited<ReturnType<typeof token>>>, name: string, value: string) {
  const id = randomUUID();
  const plain = Buffer.from(value, "utf8");
  const sealed = seal(ring, secretBinding(t.projectId, id, 1), plain);
  const hint = value.length >= 16 ? `${value.slice(0, 4)}••••••••${value.slice(-4)}` : "••••••••";
  plain.fill(0);
  await pool.query(
    `WITH s AS (
       INSERT INTO "Secret" (id, "projectId", name, description, type, metadata, storage, hint, "currentVersion", "updatedAt")
       VALUES ($1::uuid, $2::uuid, $3, '', '', '{}', 'DATABASE', $4, 1, CURRENT_TIMESTAMP) RETURNING id),
     v AS (
       INSERT INTO "SecretVersion" (id, "secretId", version, storage, ciphertext, "wrappedKey", "keyId")
       SELECT $5::uuid, s.id, 1, 'DATABASE', $6, $7, $8 FROM s),
     a AS (
       INSERT INTO "AuditEvent" ("projectId", "actorTokenId", "actorLabel", action, "secretId", "secretName", details, client)
       SELECT $2::uuid, $9::uuid, $10, 'secret.create', s.id, $3, '{"version":1,"storage":"DATABASE"}', 'api' FROM s)
     SELECT id FROM s`,
    [id, t.projectId, name, hint, randomUUID(), sealed.ciphertext, sealed.wrappedKey, sealed.keyId, t.id, `token:${t.name}`],
  );
  return [200, { data: { createSecret: { id } } }] as const;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      if (req.url === "/floor") return void res.writeHead(200, { "content-type": "application/json" }).end('{"data":{"__typename":"Query"}}');
      const t = await token(req.headers.authorization);
      const [status, out] = !t
        ? ([401, { error: "unauthenticated" }] as const)
        : req.url === "/resolve"
          ? await resolve(t, body.consumer)
          : req.url === "/list"
            ? await list(t, body.slug, Math.min(Number(body.first) || 50, 1000))
            : req.url === "/create"
              ? await create(t, body.name, body.value)
              : ([404, { error: "no such route" }] as const);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(out));
    } catch (error) {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).name }));
    }
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
