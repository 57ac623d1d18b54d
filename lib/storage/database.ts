import "server-only";
import { DecryptionError, open, seal, secretBinding } from "../crypto/envelope";
import { db } from "../db/client";
import { AppError } from "../errors";
import { keyRing } from "./keyring";
import type { StoredVersionFields, ValueRef } from "./index";

type Binding = Pick<ValueRef, "projectId" | "secretId" | "version">;
const bindingOf = (ref: Binding) => secretBinding(ref.projectId, ref.secretId, ref.version);

export function sealDatabaseValue(ref: Binding, value: Buffer): StoredVersionFields {
  const sealed = seal(keyRing(), bindingOf(ref), value);
  return { ciphertext: new Uint8Array(sealed.ciphertext), wrappedKey: new Uint8Array(sealed.wrappedKey), keyId: sealed.keyId };
}

// The only query that selects ciphertext columns (they are omitted from every other query).
export async function openDatabaseValues(refs: ValueRef[]): Promise<Buffer[]> {
  if (refs.length === 0) return [];
  const rows = await db().secretVersion.findMany({
    where: { OR: refs.map((r) => ({ secretId: r.secretId, version: r.version })) },
    select: { secretId: true, version: true, ciphertext: true, wrappedKey: true, keyId: true },
  });
  const byKey = new Map(rows.map((r) => [`${r.secretId}/${r.version}`, r]));
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
