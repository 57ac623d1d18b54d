// AES-256-GCM envelope encryption. Pure: no I/O, no environment.
// Each sealed value gets a fresh 256-bit data key; the data key is wrapped by a master key from the
// ring. Both layers bind associated data, so a ciphertext copied to another row fails to open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const FORMAT = 1;
const NONCE = 12;
const TAG = 16;

export interface MasterKey {
  id: string;
  key: Buffer;
}

// Key ids are fingerprints of the key material: stable, and safe to store next to the ciphertext.
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("vault-master-key-id\0").update(key).digest("hex").slice(0, 16);
}

export class KeyRing {
  readonly keys: MasterKey[];
  constructor(base64Keys: string[]) {
    if (base64Keys.length === 0) throw new Error("key ring is empty");
    this.keys = base64Keys.map((b64) => {
      const key = Buffer.from(b64, "base64");
      if (key.length !== 32) throw new Error("master keys must be 32 bytes");
      return { id: masterKeyId(key), key };
    });
  }
  get active(): MasterKey {
    return this.keys[0];
  }
  get(id: string): MasterKey {
    const found = this.keys.find((k) => k.id === id);
    if (!found) throw new DecryptionError("the master key this value was sealed with is not in the key ring");
    return found;
  }
}

export class DecryptionError extends Error {
  constructor(message = "ciphertext failed authentication") {
    super(message);
    this.name = "DecryptionError";
  }
}

export interface Sealed {
  ciphertext: Buffer;
  wrappedKey: Buffer;
  keyId: string;
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, body, cipher.getAuthTag()]);
}

function gcmOpen(key: Buffer, blob: Uint8Array, aad: string): Buffer {
  const buf = Buffer.from(blob);
  if (buf.length < 1 + NONCE + TAG || buf[0] !== FORMAT) throw new DecryptionError("ciphertext is malformed");
  const nonce = buf.subarray(1, 1 + NONCE);
  const tag = buf.subarray(buf.length - TAG);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(buf.subarray(1 + NONCE, buf.length - TAG)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

const wrapAad = (keyId: string, binding: string) => `vault:wrap:v1:${keyId}:${binding}`;
const valueAad = (binding: string) => `vault:value:v1:${binding}`;

export function seal(ring: KeyRing, binding: string, plaintext: Buffer): Sealed {
  const dataKey = randomBytes(32);
  try {
    const { id, key } = ring.active;
    return {
      ciphertext: gcmSeal(dataKey, plaintext, valueAad(binding)),
      wrappedKey: gcmSeal(key, dataKey, wrapAad(id, binding)),
      keyId: id,
    };
  } finally {
    dataKey.fill(0);
  }
}

export function open(ring: KeyRing, binding: string, sealed: Sealed): Buffer {
  const dataKey = gcmOpen(ring.get(sealed.keyId).key, sealed.wrappedKey, wrapAad(sealed.keyId, binding));
  try {
    if (dataKey.length !== 32) throw new DecryptionError("data key is malformed");
    return gcmOpen(dataKey, sealed.ciphertext, valueAad(binding));
  } finally {
    dataKey.fill(0);
  }
}

// Re-wraps a data key under the ring's active master key; the value ciphertext is untouched.
export function rewrap(ring: KeyRing, binding: string, sealed: Omit<Sealed, "ciphertext">) {
  const dataKey = gcmOpen(ring.get(sealed.keyId).key, sealed.wrappedKey, wrapAad(sealed.keyId, binding));
  try {
    const { id, key } = ring.active;
    return { wrappedKey: gcmSeal(key, dataKey, wrapAad(id, binding)), keyId: id };
  } finally {
    dataKey.fill(0);
  }
}

export const secretBinding = (projectId: string, secretId: string, version: number) =>
  `${projectId}/${secretId}/${version}`;
