import { resolveUserSecrets } from "@/rest/secrets";

export const dynamic = "force-dynamic";
export const POST = resolveUserSecrets;
