import "server-only";
import { DecryptionError, open, seal, secretBinding } from "../crypto/envelope";
import { db, sql } from "../db/client";
import { AppError } from "../errors";
import { keyRing } from "./keyring";
import type { StoredVersionFields, ValueRef } from "./index";

type Binding = Pick<ValueRef, "projectId" | "secretId" | "version">;
const bindingOf = (ref: Binding) => secretBinding(ref.projectId, ref.secretId, ref.version);

export function sealDatabaseValue(ref: Binding, value: Buffer): StoredVersionFields {
  const sealed = seal(keyRing(), bindingOf(ref), value);
  return { ciphertext: new Uint8Array(sealed.ciphertext), wrappedKey: new Uint8Array(sealed.wrappedKey), keyId: sealed.keyId };
}

type SealedRow = { secretId: string; version: number; ciphertext: Uint8Array | null; wrappedKey: Uint8Array | null; keyId: string | null };

// Sealed current values read together with their secret rows (see findSecretsForReading),
// opened later by openDatabaseValues without another query. Never leaves lib/storage.
export type SealedValues = Map<string, SealedRow>;

// A project's secrets by name and, for those in the database, their current sealed values: one
// statement. Nothing is decrypted here.
export async function findSecretsForReading(projectId: string, names: string[]) {
  const rows = await sql<
    SealedRow & { id: string; projectId: string; name: string; currentVersion: number; storage: ValueRef["storage"]; referencePath: string | null }
  >`
    SELECT s.id, s."projectId", s.name, s."currentVersion", s.storage::text AS storage, s."referencePath",
           v."secretId", v.version, v.ciphertext, v."wrappedKey", v."keyId"
    FROM "Secret" s
    LEFT JOIN "SecretVersion" v ON v."secretId" = s.id AND v.version = s."currentVersion" AND s.storage = 'DATABASE'
    WHERE s."projectId" = ${projectId}::uuid AND s.name = ANY(${names}::text[])`;
  const sealed: SealedValues = new Map();
  const secrets = rows.map(({ secretId, version, ciphertext, wrappedKey, keyId, ...secret }) => {
    if (secretId) sealed.set(`${secretId}/${version}`, { secretId, version, ciphertext, wrappedKey, keyId });
    return secret;
  });
  return { secrets, sealed };
}

// The only queries that select ciphertext columns (they are omitted from every other query).
export async function openDatabaseValues(refs: ValueRef[], prefetched?: SealedValues): Promise<Buffer[]> {
  if (refs.length === 0) return [];
  const missing = refs.filter((r) => !prefetched?.has(`${r.secretId}/${r.version}`));
  // One join against the (secretId, version) pairs: an OR of hundreds of pairs costs far more to
  // build and plan.
  const rows: SealedRow[] = missing.length
    ? await db().$queryRaw<SealedRow[]>`
        SELECT v."secretId", v.version, v.ciphertext, v."wrappedKey", v."keyId"
        FROM unnest(${missing.map((r) => r.secretId)}::uuid[], ${missing.map((r) => r.version)}::int[]) AS x(sid, ver)
        JOIN "SecretVersion" v ON v."secretId" = x.sid AND v.version = x.ver`
    : [];
  const byKey = new Map<string, SealedRow>(prefetched);
  for (const r of rows) byKey.set(`${r.secretId}/${r.version}`, r);
  return refs.map((ref) => {
    const row = byKey.get(`${ref.secretId}/${ref.version}`);
    if (!row?.ciphertext || !row.wrappedKey || !row.keyId) {
      throw new AppError("UNAVAILABLE", `The value of ${ref.secretName} is missing from the database`);
    }
    try {
      return open(keyRing(), bindingOf(ref), {
        ciphertext: Buffer.from(row.ciphertext),
        wrappedKey: Buffer.from(row.wrappedKey),
        keyId: row.keyId,
      });
    } catch (error) {
      if (error instanceof DecryptionError) {
        throw new AppError(
          "UNAVAILABLE",
          `The value of ${ref.secretName} could not be decrypted: its ciphertext failed authentication or its master key is not in SECRETS_ENCRYPTION_KEY`,
        );
      }
      throw error;
    }
  });
}
