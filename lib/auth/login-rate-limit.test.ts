import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { db, disconnectDb } from "../db/client";
import { env } from "../env";
import { newUser, uniq } from "../../test/fixtures";
import { authOptions } from "./options";
import { scryptRuns } from "./password";
import { hitRateLimit } from "./rate-limit";
import { accountKey, addressKey, LOGIN_LIMITS, signInWithPassword } from "./sign-in";
import { signInErrorMessage } from "./sign-in-messages";

// Real database (PGlite, or PostgreSQL with VAULT_TEST_DB=postgres), nothing mocked. Whether the
// password was checked is read from scryptRuns(), a counter of scrypt runs.

// Real concurrency needs real connections: on PostgreSQL, a pool wide enough for 30 at once, set
// before anything reads the environment. (PGlite is one session; its pool stays as test/setup.ts sets it.)
const kind = inject("databaseKind");
if (kind === "postgres") process.env.VAULT_DB_POOL_MAX = "32";
afterAll(async () => {
  await disconnectDb();
});

// Distinct addresses per test, so the per-address limit only bites where a test means it to.
const newAddress = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const addresses = (n: number) => {
  const seen = new Set<string>();
  while (seen.size < n) seen.add(newAddress());
  return [...seen];
};

async function row(key: string) {
  const rows = await db().$queryRaw<{ count: number; blockedUntil: Date | null; windowStart: Date }[]>`
    SELECT "count", "blockedUntil", "windowStart" FROM "RateLimit" WHERE "key" = ${key}`;
  return rows[0] ?? null;
}

// Moves a key's window into the past, as if 16 minutes had gone by.
async function elapse(key: string, minutes = 16) {
  await db().$executeRaw`
    UPDATE "RateLimit" SET "windowStart" = "windowStart" - make_interval(mins => ${minutes}::int),
      "blockedUntil" = "blockedUntil" - make_interval(mins => ${minutes}::int)
    WHERE "key" = ${key}`;
}

type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
const authorize: Authorize = (credentials, req) =>
  (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(credentials, req);

describe("sign-in rate limits", () => {
  it("the 6th attempt on an account is refused without checking the password, the right one included", async () => {
    const user = await newUser();
    const from = addresses(8);
    const before = scryptRuns();
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      expect(await signInWithPassword({ email: user.email, password: `wrong-${i}`, address: from[i] })).toEqual({ ok: false, reason: "invalid" });
    }
    expect(scryptRuns() - before).toBe(5);

    const wrong = await signInWithPassword({ email: user.email, password: "wrong-again", address: from[5] });
    const right = await signInWithPassword({ email: ` ${user.email.toUpperCase()} `, password: user.password, address: from[6] });
    for (const refused of [wrong, right]) {
      expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
      const { retryAfterSeconds } = refused as { retryAfterSeconds: number };
      expect(retryAfterSeconds).toBeGreaterThan(0);
      expect(retryAfterSeconds).toBeLessThanOrEqual(LOGIN_LIMITS.account.windowSeconds);
    }
    expect(scryptRuns() - before).toBe(5);
  });

  it("the login form is told 'Try again in N s'; a wrong password stays the generic message; nothing echoes input", async () => {
    const user = await newUser();
    const canary = `CANARY_${randomBytes(8).toString("hex")}`;
    const req = { headers: { "x-forwarded-for": newAddress() } };
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      expect(await authorize({ email: user.email, password: canary }, req)).toBeNull();
    }
    const error = await authorize({ email: user.email, password: canary }, req).then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/^Too many sign-in attempts\. Try again in \d+ s\.$/);
    const seconds = Number(/in (\d+) s/.exec(error!.message)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(error!.message).not.toContain(canary);
    expect(error!.message).not.toContain(user.email);
    expect(signInErrorMessage(error!.message)).toBe(error!.message);
    expect(signInErrorMessage("CredentialsSignin")).toBe("Email or password is incorrect");
    expect(signInErrorMessage(`Try again in 5 s. ${canary}`)).not.toContain(canary);
    // The table keeps a digest of the email, never the address itself.
    const keys = await db().$queryRaw<{ key: string }[]>`SELECT "key" FROM "RateLimit"`;
    expect(JSON.stringify(keys)).not.toContain(user.email);
    expect(JSON.stringify(keys)).not.toContain(canary);
  });

  it("after the window a new one starts with the same limit; then the owner signs in and the counter is cleared", async () => {
    const user = await newUser();
    const from = addresses(20);
    for (let i = 0; i < 6; i++) await signInWithPassword({ email: user.email, password: "wrong", address: from[i] });
    expect(await signInWithPassword({ email: user.email, password: user.password, address: from[6] })).toMatchObject({ reason: "rate_limited" });
    await elapse(accountKey(user.email));
    // A fresh window: 5 more guesses get checked, the 6th is refused again.
    for (let i = 0; i < 5; i++) {
      expect(await signInWithPassword({ email: user.email, password: "wrong", address: from[7 + i] })).toMatchObject({ reason: "invalid" });
    }
    expect(await signInWithPassword({ email: user.email, password: user.password, address: from[12] })).toMatchObject({ reason: "rate_limited" });
    await elapse(accountKey(user.email));
    expect(await signInWithPassword({ email: user.email, password: user.password, address: from[13] })).toMatchObject({ ok: true, user: { id: user.id } });
    expect(await row(accountKey(user.email))).toBeNull();
  });

  it("a block lasts until its window ends, however many attempts keep arriving", async () => {
    const user = await newUser();
    const from = addresses(30);
    for (let i = 0; i < 6; i++) await signInWithPassword({ email: user.email, password: "wrong", address: from[i] });
    const blocked = await row(accountKey(user.email));
    expect(blocked?.blockedUntil).not.toBeNull();
    expect(blocked!.blockedUntil!.getTime() - blocked!.windowStart.getTime()).toBe(LOGIN_LIMITS.account.windowSeconds * 1000);
    for (let i = 6; i < 30; i++) await signInWithPassword({ email: user.email, password: "wrong", address: from[i] });
    expect((await row(accountKey(user.email)))!.blockedUntil).toEqual(blocked!.blockedUntil);
  });

  it("a success clears the account counter but not the address one; the next failures start from zero", async () => {
    const user = await newUser();
    const address = newAddress();
    for (let i = 0; i < 4; i++) await signInWithPassword({ email: user.email, password: "wrong", address });
    expect(await signInWithPassword({ email: user.email, password: user.password, address })).toMatchObject({ ok: true });
    expect(await row(accountKey(user.email))).toBeNull();
    expect((await row(addressKey(address)))!.count).toBe(4);
    for (let i = 0; i < 5; i++) {
      expect(await signInWithPassword({ email: user.email, password: "wrong", address: newAddress() })).toMatchObject({ reason: "invalid" });
    }
    expect(await signInWithPassword({ email: user.email, password: user.password, address: newAddress() })).toMatchObject({ reason: "rate_limited" });
  });

  it("one address is refused after 20 failures spread over many accounts; the same account elsewhere is not", async () => {
    const address = newAddress();
    const victim = await newUser();
    for (let i = 0; i < LOGIN_LIMITS.address.max; i++) {
      // Unknown accounts count the same as real ones.
      expect(await signInWithPassword({ email: `${uniq("nobody")}@example.com`, password: "Summer2025!", address })).toMatchObject({ reason: "invalid" });
    }
    const before = scryptRuns();
    expect(await signInWithPassword({ email: victim.email, password: victim.password, address })).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(scryptRuns()).toBe(before);
    expect(await signInWithPassword({ email: victim.email, password: victim.password, address: newAddress() })).toMatchObject({ ok: true });
    // The address block ends with its window too.
    await elapse(addressKey(address));
    expect(await signInWithPassword({ email: victim.email, password: victim.password, address })).toMatchObject({ ok: true });
  });

  it(`30 concurrent failed attempts count exactly 30 and only 5 reach the password check (${kind})`, async () => {
    if (kind === "postgres") expect(env().VAULT_DB_POOL_MAX).toBe(32);
    const user = await newUser();
    const from = addresses(30);
    const before = scryptRuns();
    const results = await Promise.all(from.map((address) => signInWithPassword({ email: user.email, password: "wrong", address })));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "rate_limited")).toHaveLength(25);
    expect(scryptRuns() - before).toBe(5);
    expect((await row(accountKey(user.email)))!.count).toBe(30);
  });

  it(`the counter loses no update under concurrency (${kind})`, async () => {
    const key = `test:${uniq("concurrent")}`;
    const hits = await Promise.all(Array.from({ length: 30 }, () => hitRateLimit(key, { max: 1000, windowSeconds: 60 })));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await row(key))!.count).toBe(30);
  });
});
