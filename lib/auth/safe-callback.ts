// Where to send someone after signing in: a path on this vault, never another site.
//
// The callback is resolved the way a browser would resolve it (new URL(cb, origin): tabs and
// newlines dropped, backslashes read as slashes, "//host" and "http:host" taken as hosts), and
// kept only if it lands on the vault's own origin. Only pathname + search + hash leave this
// function, with leading slashes collapsed, so the result can never be read as "//host".
// Pure: the login page (server) and the login form (browser) use the same function.
export function safeCallbackPath(callbackUrl: string | null | undefined, origin: string): string {
  if (typeof callbackUrl !== "string" || callbackUrl === "") return "/";
  try {
    const base = new URL(origin);
    const url = new URL(callbackUrl, base);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== base.origin) return "/";
    if (url.username || url.password) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`.replace(/^[/\\]+/, "/");
    return path.startsWith("/") ? path : "/";
  } catch {
    return "/";
  }
}
