import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

export async function GET(request: Request, context: Ctx) {
  return NextAuth(authOptions())(request, context);
}

export async function POST(request: Request, context: Ctx) {
  return NextAuth(authOptions())(request, context);
}
