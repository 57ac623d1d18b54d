import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt from Node's crypto: a memory-hard KDF with no native build to install. Parameters follow
// current guidance (OWASP: N=2^17, r=8, p=1, 128 MiB per hash). Hashes stored with weaker parameters
// still verify and are replaced on the owner's next successful sign-in (needsRehash).
export const PRODUCTION_SCRYPT = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const KEYLEN = 64;
// Stored hashes are ours, but a corrupted or planted row must not make one sign-in allocate gigabytes.
const MAX_N = 2 ** 20;

export type ScryptParams = { N: number; r: number; p: number };

// Tests create hundreds of users; VAULT_TEST_SCRYPT_N lowers the work factor for them only. It is
// refused unless NODE_ENV is "test" (lib/env.ts also refuses to boot with it set).
export function scryptParams(source: Record<string, string | undefined> = process.env): ScryptParams {
  const raw = source.VAULT_TEST_SCRYPT_N;
  if (raw === undefined || raw === "") return { ...PRODUCTION_SCRYPT };
  if (source.NODE_ENV !== "test") {
    throw new Error("VAULT_TEST_SCRYPT_N is only for the test suite: unset it (NODE_ENV is not test)");
  }
  const N = Number(raw);
  if (!Number.isInteger(N) || N < 2 ** 10 || N > PRODUCTION_SCRYPT.N || (N & (N - 1)) !== 0) {
    throw new Error("VAULT_TEST_SCRYPT_N must be a power of two between 1024 and 131072");
  }
  return { ...PRODUCTION_SCRYPT, N };
}

// Counts scrypt runs, so tests can prove a refused sign-in never reached the password check.
let runs = 0;
export const scryptRuns = () => runs;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions & ScryptParams): Promise<Buffer> {
  runs++;
  // scrypt needs 128·N·r bytes; Node refuses anything above maxmem (32 MiB by default).
  const maxmem = 128 * options.N * options.r + 16 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, keylen, { ...options, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = scryptParams()): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export function parseHash(stored: string): (ScryptParams & { salt: Buffer; hash: Buffer }) | null {
  const [alg, n, r, p, salt, hash, ...rest] = stored.split("$");
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (alg !== "scrypt" || !salt || !hash || rest.length) return null;
  if (![params.N, params.r, params.p].every(Number.isInteger) || params.N < 2 || params.N > MAX_N) return null;
  if (params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return null;
  return { ...params, salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64") };
}

// True when the stored hash used weaker parameters than the ones new hashes get.
export function needsRehash(stored: string, params: ScryptParams = scryptParams()): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.N < params.N || parsed.r < params.r || parsed.p < params.p || parsed.hash.length < KEYLEN;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { salt, hash: expected, N, r, p } = parsed;
  const actual = await scrypt(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(actual, expected);
}

// Spent on unknown emails so a login's timing does not reveal which accounts exist: same parameters
// as a real user's hash (recomputed if the work factor changes, which only tests do).
let dummy: { N: number; hash: Promise<string> } | undefined;
export function dummyHash(): Promise<string> {
  const params = scryptParams();
  if (dummy?.N !== params.N) dummy = { N: params.N, hash: hashPassword("not-a-real-password", params) };
  return dummy.hash;
}

export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(password, await dummyHash());
}
