import { createUserSecret, listUserSecrets } from "@/rest/secrets";

export const dynamic = "force-dynamic";
export const GET = listUserSecrets;
export const POST = createUserSecret;
