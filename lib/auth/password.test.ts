import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../db/client";
import { parseEnv } from "../env";
import { newUser } from "../../test/fixtures";
import { dummyHash, hashPassword, needsRehash, parseHash, PRODUCTION_SCRYPT, scryptParams, verifyPassword } from "./password";
import { signInWithPassword } from "./sign-in";

// The suite hashes with a lower work factor (test/setup.ts); these tests switch it off to check
// what production stores.
const useProductionParams = () => vi.stubEnv("VAULT_TEST_SCRYPT_N", "");
afterEach(() => {
  vi.unstubAllEnvs();
});

const storedN = (hash: string) => parseHash(hash)!.N;
let addressSeq = 0;
const freshAddress = () => `198.51.100.${(addressSeq++ % 250) + 1}`;

describe("password hashing", () => {
  it("production hashes use scrypt N ≥ 2^17, r=8, p=1, and verify", async () => {
    useProductionParams();
    expect(PRODUCTION_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(scryptParams()).toEqual({ N: PRODUCTION_SCRYPT.N, r: 8, p: 1 });
    const hash = await hashPassword("correct horse battery staple");
    const [alg, n, r, p] = hash.split("$");
    expect(alg).toBe("scrypt");
    expect(Number(n)).toBeGreaterThanOrEqual(2 ** 17);
    expect([Number(r), Number(p)]).toEqual([8, 1]);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it("the dummy hash spent on unknown emails uses the same parameters as real ones", async () => {
    useProductionParams();
    expect(storedN(await dummyHash())).toBe(storedN(await hashPassword("x")));
    expect(storedN(await dummyHash())).toBeGreaterThanOrEqual(2 ** 17);
  });

  it("the lower test work factor is refused outside tests", () => {
    expect(() => scryptParams({ VAULT_TEST_SCRYPT_N: "1024", NODE_ENV: "production" })).toThrow(/only for the test suite/);
    expect(() => scryptParams({ VAULT_TEST_SCRYPT_N: "1024" })).toThrow(/only for the test suite/);
    expect(() => scryptParams({ VAULT_TEST_SCRYPT_N: "1000", NODE_ENV: "test" })).toThrow(/power of two/);
    const base = { DATABASE_URL: "postgresql://vault@localhost/vault", SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"), NEXTAUTH_SECRET: "x".repeat(44) };
    expect(() => parseEnv({ ...base, NODE_ENV: "production", VAULT_TEST_SCRYPT_N: "1024" })).toThrow(/VAULT_TEST_SCRYPT_N is only for the test suite/);
    expect(parseEnv({ ...base, NODE_ENV: "test", VAULT_TEST_SCRYPT_N: "1024" }).VAULT_TEST_SCRYPT_N).toBe("1024");
  });

  it("an old N=16384 hash still verifies and is upgraded on the next successful sign-in", async () => {
    const user = await newUser();
    const old = await hashPassword(user.password, { N: 16384, r: 8, p: 1 });
    await db().user.update({ where: { id: user.id }, data: { passwordHash: old } });
    useProductionParams();
    expect(needsRehash(old)).toBe(true);

    // A wrong password changes nothing.
    expect(await signInWithPassword({ email: user.email, password: "wrong-password", address: freshAddress() })).toMatchObject({ ok: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(old);

    expect(await signInWithPassword({ email: user.email, password: user.password, address: freshAddress() })).toMatchObject({ ok: true });
    const upgraded = (await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(upgraded).not.toBe(old);
    expect(storedN(upgraded)).toBeGreaterThanOrEqual(2 ** 17);
    expect(await verifyPassword(user.password, upgraded)).toBe(true);

    // Signing in again keeps the current hash.
    expect(await signInWithPassword({ email: user.email, password: user.password, address: freshAddress() })).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(upgraded);
  });
});
