import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

const xff = (value: string) => ({ "x-forwarded-for": value });

describe("clientAddress", () => {
  it("without trusted proxies: the right-most X-Forwarded-For entry (Next puts the socket address there when absent)", () => {
    expect(clientAddress(xff("203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientAddress(xff("1.1.1.1, 203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientAddress(new Headers(xff("1.1.1.1,203.0.113.9")), 0)).toBe("203.0.113.9");
  });

  it("behind N proxies: the N-th entry from the right; what the client wrote to its left is ignored", () => {
    expect(clientAddress(xff("6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientAddress(xff("6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    // Fewer entries than proxies: a request that bypassed them; the left-most entry is all there is.
    expect(clientAddress(xff("203.0.113.9"), 3)).toBe("203.0.113.9");
  });

  it("normalises ports, IPv4-mapped IPv6, and counts IPv6 per /64", () => {
    expect(clientAddress(xff("203.0.113.9:51234"), 0)).toBe("203.0.113.9");
    expect(clientAddress(xff("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientAddress(xff("2001:db8:1:2:aaaa::1"), 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress(xff("[2001:db8:1:2:bbbb::9]:443"), 0)).toBe("2001:db8:1:2::/64");
    expect(clientAddress(xff("::1"), 0)).toBe("0:0:0:0::/64");
  });

  it("no header or junk: one shared 'unknown' bucket, never the raw text", () => {
    expect(clientAddress({}, 0)).toBe("unknown");
    expect(clientAddress(undefined, 0)).toBe("unknown");
    expect(clientAddress(xff("not-an-ip"), 0)).toBe("unknown");
    expect(clientAddress(xff("CANARY_abc, <script>"), 0)).toBe("unknown");
  });
});
