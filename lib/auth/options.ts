import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { log } from "../log";
import { clientAddress } from "./client-address";
import { safeCallbackPath } from "./safe-callback";
import { signInWithPassword, type SignInResult } from "./sign-in";
import { SIGN_IN_UNAVAILABLE, tooManyAttempts } from "./sign-in-messages";

export const SESSION_MAX_AGE = 8 * 60 * 60;

export function authOptions(): NextAuthOptions {
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        // next-auth hands an Error's message back to the login form (result.error): only the
        // rate-limit message is thrown; wrong credentials return null (generic "incorrect").
        async authorize(credentials, req) {
          if (typeof credentials?.email !== "string" || typeof credentials.password !== "string") return null;
          if (!credentials.email || !credentials.password) return null;
          let result: SignInResult;
          try {
            result = await signInWithPassword({
              email: credentials.email,
              password: credentials.password,
              address: clientAddress(req?.headers, env().VAULT_TRUSTED_PROXIES),
            });
          } catch (error) {
            // Name and code only: a Prisma message can quote the query's arguments (the email).
            const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
            log.error("sign-in failed", { errorName: String(name ?? "unknown"), errorCode: String(code ?? "") });
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
          if (result.ok) return { id: result.user.id, email: result.user.email };
          if (result.reason === "rate_limited") throw new Error(tooManyAttempts(result.retryAfterSeconds));
          return null;
        },
      }),
    ],
    // The JWT carries only the user id (sub) and email; permissions are read from the database on
    // every request, so a removed member loses access on their next request.
    callbacks: {
      // Where next-auth itself redirects after sign-in or sign-out: only paths on this vault.
      async redirect({ url, baseUrl }) {
        return new URL(safeCallbackPath(url, baseUrl), baseUrl).toString();
      },
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.email = user.email;
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { email: token.email ?? null, id: token.sub } };
      },
    },
  };
}
