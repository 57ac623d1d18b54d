import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, KeyRing, open, rewrap, seal } from "./envelope";

const key = () => randomBytes(32).toString("base64");

describe("envelope encryption", () => {
  const ring = new KeyRing([key()]);
  const value = Buffer.from("sk_live_\u0000binary\u00ff✓", "utf8");

  it("round-trips bytes exactly and never stores the plaintext", () => {
    const sealed = seal(ring, "p/s/1", value);
    expect(sealed.ciphertext.includes(value)).toBe(false);
    expect(open(ring, "p/s/1", sealed).equals(value)).toBe(true);
  });

  it("uses a fresh data key and nonce per seal", () => {
    const a = seal(ring, "p/s/1", value);
    const b = seal(ring, "p/s/1", value);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
  });

  it("fails closed when the binding differs (ciphertext moved to another row)", () => {
    const sealed = seal(ring, "p/s/1", value);
    for (const other of ["p/s/2", "p/t/1", "q/s/1"]) expect(() => open(ring, other, sealed)).toThrow(DecryptionError);
  });

  it("fails closed on any flipped bit", () => {
    const sealed = seal(ring, "p/s/1", value);
    for (const field of ["ciphertext", "wrappedKey"] as const) {
      for (const i of [1, 13, sealed[field].length - 1]) {
        const tampered = Buffer.from(sealed[field]);
        tampered[i] ^= 1;
        expect(() => open(ring, "p/s/1", { ...sealed, [field]: tampered })).toThrow(DecryptionError);
      }
    }
    expect(() => open(ring, "p/s/1", { ...sealed, ciphertext: Buffer.alloc(3) })).toThrow(DecryptionError);
  });

  it("fails closed with a key that is not in the ring", () => {
    const sealed = seal(ring, "p/s/1", value);
    expect(() => open(new KeyRing([key()]), "p/s/1", sealed)).toThrow(DecryptionError);
  });

  it("re-wraps a data key under a new active key; both rings open it until the old key is dropped", () => {
    const oldKey = key();
    const newKey = key();
    const sealed = seal(new KeyRing([oldKey]), "p/s/1", value);
    const rotated = new KeyRing([newKey, oldKey]);
    expect(open(rotated, "p/s/1", sealed).equals(value)).toBe(true);
    const rewrapped = { ...sealed, ...rewrap(rotated, "p/s/1", sealed) };
    expect(rewrapped.keyId).toBe(rotated.active.id);
    expect(open(new KeyRing([newKey]), "p/s/1", rewrapped).equals(value)).toBe(true);
  });
});
