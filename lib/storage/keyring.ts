import "server-only";
import { KeyRing } from "../crypto/envelope";
import { env } from "../env";

let cached: { source: string; ring: KeyRing } | undefined;

// The master keys from SECRETS_ENCRYPTION_KEY (validated at boot by lib/env.ts); the first one
// wraps new data keys. Rebuilt if the variable changes (the CLI's key rotation, tests).
export function keyRing(): KeyRing {
  const source = process.env.SECRETS_ENCRYPTION_KEY ?? "";
  if (cached?.source !== source) cached = { source, ring: new KeyRing(source ? source.split(",").map((k) => k.trim()) : env().SECRETS_ENCRYPTION_KEY) };
  return cached.ring;
}
