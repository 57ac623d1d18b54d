import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

const ORIGIN = "https://vault.example.com";

// Where a browser would really go if handed the result (what window.location.assign does).
const landing = (path: string) => new URL(path, ORIGIN);

describe("safeCallbackPath", () => {
  const offsite = [
    "/\t/evil.com",
    "/%09/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    "\t//evil.com",
    "/\t\\evil.com",
    "//evil.com",
    "///evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\\/evil.com",
    " //evil.com",
    "  /\\evil.com",
    "\u0000//evil.com",
    "https://evil.com",
    "https://evil.com/login",
    "HTTPS://EVIL.COM",
    "http:evil.com",
    "http:/evil.com",
    "http:\\\\evil.com",
    "https:evil.com",
    "https:/\t/evil.com",
    "//evil.com@vault.example.com",
    "https://vault.example.com@evil.com",
    "https://vault.example.com.evil.com/",
    "http://vault.example.com/",
    "https://vault.example.com:444/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "mailto:a@evil.com",
    "//%65vil.com",
    "/\t/\t/evil.com",
  ];

  it.each(offsite)("keeps %j on the vault", (callback) => {
    const path = safeCallbackPath(callback, ORIGIN);
    expect(path.startsWith("/")).toBe(true);
    expect(path.startsWith("//")).toBe(false);
    expect(path).not.toMatch(/^[/\\]{2}/);
    expect(landing(path).origin).toBe(ORIGIN);
  });

  it("what the browser would have resolved off-site becomes the vault's home", () => {
    for (const callback of ["/\t/evil.com", "//evil.com", "/\\evil.com", "https://evil.com", "http:evil.com", "javascript:alert(1)"]) {
      expect(safeCallbackPath(callback, ORIGIN)).toBe("/");
    }
  });

  it("an off-site URL is not turned into the vault path of the same name", () => {
    for (const callback of ["https://evil.com/projects/x?y=1#z", "//evil.com/api/auth/signout", "/\t/evil.com/projects/x", "http:evil.com/x"]) {
      expect(safeCallbackPath(callback, ORIGIN)).toBe("/");
    }
  });

  it("a percent-encoded path stays an encoded path on the vault", () => {
    // The parser does not decode %2F: the browser asks the vault for that path, it never leaves.
    expect(safeCallbackPath("/%2F%2Fevil.com", ORIGIN)).toBe("/%2F%2Fevil.com");
    expect(landing(safeCallbackPath("/%2F%2Fevil.com", ORIGIN)).origin).toBe(ORIGIN);
  });

  it("keeps paths on the vault, with their query and fragment", () => {
    expect(safeCallbackPath("/projects/abc/tokens?x=1#y", ORIGIN)).toBe("/projects/abc/tokens?x=1#y");
    expect(safeCallbackPath("https://vault.example.com/projects/abc?tab=2", ORIGIN)).toBe("/projects/abc?tab=2");
    expect(safeCallbackPath("projects/abc", ORIGIN)).toBe("/projects/abc");
    expect(safeCallbackPath("/", ORIGIN)).toBe("/");
  });

  it("a same-origin URL whose path starts with // cannot become protocol-relative", () => {
    const path = safeCallbackPath("https://vault.example.com//evil.com/x", ORIGIN);
    expect(path).toBe("/evil.com/x");
    expect(landing(path).origin).toBe(ORIGIN);
  });

  it("missing, empty or unparsable callbacks go home", () => {
    expect(safeCallbackPath(undefined, ORIGIN)).toBe("/");
    expect(safeCallbackPath(null, ORIGIN)).toBe("/");
    expect(safeCallbackPath("", ORIGIN)).toBe("/");
    expect(safeCallbackPath("http://[::1", ORIGIN)).toBe("/");
  });
});
