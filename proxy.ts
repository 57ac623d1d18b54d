import { NextResponse, type NextRequest } from "next/server";

// Tells the vault layout which page was asked for, so an unauthenticated visit goes to
// /login?callbackUrl=<that page> and sign-in lands there (app/(vault)/layout.tsx). Only a hint: the
// layout still validates it with safeCallbackPath. Always overwritten, never taken from the client.
const REQUESTED_PATH_HEADER = "x-vault-requested-path";

export function proxy(request: NextRequest) {
  const url = request.nextUrl.clone();
  url.searchParams.delete("_rsc");
  const headers = new Headers(request.headers);
  headers.set(REQUESTED_PATH_HEADER, `${url.pathname}${url.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the API, not Next's assets.
  matcher: ["/((?!api/|_next/|favicon\\.ico).*)"],
};
