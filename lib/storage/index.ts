import "server-only";
import type { Storage } from "../db/generated/enums";
import { AppError } from "../errors";
import { openDatabaseValues, sealDatabaseValue } from "./database";

// Where a value lives. The database store keeps an AES-256-GCM envelope in the secret's version
// row. SSM Parameter Store and server environment variables arrive with the storage-locations issue
// and plug in here; until then they are refused rather than half-supported.

export interface ValueRef {
  projectId: string;
  secretId: string;
  secretName: string;
  version: number;
  storage: Storage;
}

// Columns of a SecretVersion row that locate or carry the value.
export interface StoredVersionFields {
  ciphertext?: Uint8Array<ArrayBuffer> | null;
  wrappedKey?: Uint8Array<ArrayBuffer> | null;
  keyId?: string | null;
}

export const SUPPORTED_STORAGE: readonly Storage[] = ["DATABASE"];

export function assertStorageAvailable(storage: Storage) {
  if (!SUPPORTED_STORAGE.includes(storage)) {
    throw new AppError("BAD_USER_INPUT", `Storage location ${storage} is not available on this vault`, { field: "storage" });
  }
}

// Prepares the version columns for a new value. Pure for the database store (no I/O).
export function prepareValue(ref: ValueRef, value: Buffer): StoredVersionFields {
  assertStorageAvailable(ref.storage);
  return sealDatabaseValue(ref, value);
}

// Reads the current values of many secrets at once, in the order given. Fails closed: one value
// that cannot be read fails the whole call, naming the secret but never a value.
export async function readCurrentValues(refs: ValueRef[]): Promise<Buffer[]> {
  for (const ref of refs) assertStorageAvailable(ref.storage);
  return openDatabaseValues(refs);
}
