import { isIP } from "node:net";

// The address a sign-in attempt is counted against (the per-address limit).
//
// What a route handler sees under `next start` (Next 16, checked against the production server):
// there is no socket address on the Request; Next's server copies the peer's socket address into
// `x-forwarded-for` ONLY when the request has no such header (base-server.js: `??=`). A header the
// client sent is passed through untouched, and nothing is appended to it.
//
// So, with VAULT_TRUSTED_PROXIES = number of proxies in front of the vault that append the address
// they saw to X-Forwarded-For (nginx $proxy_add_x_forwarded_for, AWS ALB, …):
//   0 (default, clients connect to the vault directly): the right-most entry, which is the socket
//     address whenever the client sent no header. A client that sends its own header picks its own
//     address key, escaping only the per-address limit; the per-account limit does not depend on it.
//   N ≥ 1: the N-th entry from the right, the address the outermost trusted proxy saw. Anything to
//     its left was written by the client and is ignored.
// IPv6 addresses count per /64 (one host usually owns the whole /64). Anything unparsable counts
// as "unknown", one shared bucket.
export function clientAddress(headers: Record<string, unknown> | Headers | undefined, trustedProxies: number): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers?.["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : typeof raw === "string" ? raw : "";
  const entries = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return "unknown";
  const entry = entries[Math.max(0, entries.length - Math.max(1, trustedProxies))];
  return normalizeAddress(entry) ?? "unknown";
}

export function normalizeAddress(entry: string): string | null {
  let s = entry.trim();
  // "[v6]:port", "v4:port" (some proxies add the port)
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, ""); // zone id
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (v4mapped) s = v4mapped[1];
  const kind = isIP(s);
  if (kind === 4) return s;
  if (kind === 6) return `${ipv6Prefix64(s)}::/64`;
  return null;
}

function ipv6Prefix64(address: string): string {
  const [head, tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(":");
}
