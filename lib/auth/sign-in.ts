import "server-only";
import { createHash } from "node:crypto";
import { log } from "../log";
import { normalizeEmail, verifyCredentials } from "../users/verify-credentials";
import { clearRateLimit, hitRateLimit, pruneRateLimits, refundRateLimit, type Limit } from "./rate-limit";

// Password sign-in with rate limits, checked BEFORE the password hash runs:
//   per account: 5 failed attempts per 15 minutes, then refused until that window ends. Enough for
//     a person mistyping; online guessing gets 5 guesses a quarter hour (480 a day). The owner is
//     never locked out for more than 15 minutes by someone else's guesses.
//   per address: 20 failed attempts per 15 minutes, across all accounts, so one address cannot
//     spray a common password over many accounts (client-address.ts says which address).
// Both windows are fixed; a block ends when its window does, whatever arrives meanwhile.
// Every attempt is counted up front (one atomic statement per key, so parallel attempts cannot
// slip past the check); a successful one clears its account's counter and gives its address count
// back, so only failures use up the limits. Unknown emails are counted the same way as real ones.
export const LOGIN_LIMITS: { account: Limit; address: Limit } = {
  account: { max: 5, windowSeconds: 15 * 60 },
  address: { max: 20, windowSeconds: 15 * 60 },
};

const PREFIX = "login:";
// Rows are keyed by a digest, so the table holds no email addresses.
export const accountKey = (email: string) =>
  `${PREFIX}account:${createHash("sha256").update(normalizeEmail(email), "utf8").digest("hex")}`;
export const addressKey = (address: string) => `${PREFIX}address:${address}`;

export type SignInResult =
  | { ok: true; user: { id: string; email: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

export async function signInWithPassword(
  input: { email: string; password: string; address: string },
  limits = LOGIN_LIMITS,
): Promise<SignInResult> {
  const account = accountKey(input.email);
  const address = addressKey(input.address);
  const [byAccount, byAddress] = await Promise.all([hitRateLimit(account, limits.account), hitRateLimit(address, limits.address)]);
  if (Math.random() < 0.01) await prune();
  if (byAccount.blocked || byAddress.blocked) {
    // One line when a limit is first reached, not one per refused attempt; never the email.
    if (byAccount.count === limits.account.max + 1) log.warn("sign-in limit reached", { limit: "account" });
    if (byAddress.count === limits.address.max + 1) log.warn("sign-in limit reached", { limit: "address", address: input.address });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: Math.max(byAccount.retryAfterSeconds, byAddress.retryAfterSeconds) };
  }
  const user = await verifyCredentials(input.email, input.password);
  if (!user) return { ok: false, reason: "invalid" };
  await Promise.all([clearRateLimit(account), refundRateLimit(address)]);
  return { ok: true, user };
}

// Keeps the table from growing with every address that ever tried; only this feature's rows.
async function prune() {
  try {
    await pruneRateLimits(PREFIX, 24 * 60 * 60);
  } catch (error) {
    log.warn("could not prune sign-in rate limits", { error });
  }
}
