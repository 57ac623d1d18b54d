import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../env";
import { verifyCredentials } from "../users/verify-credentials";

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
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const user = await verifyCredentials(credentials.email, credentials.password);
          return user ? { id: user.id, email: user.email } : null;
        },
      }),
    ],
    // The JWT carries only the user id (sub) and email; permissions are read from the database on
    // every request, so a removed member loses access on their next request.
    callbacks: {
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
