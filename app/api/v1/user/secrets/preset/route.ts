import { createUserSecretFromPreset } from "@/rest/secrets";

export const dynamic = "force-dynamic";
export const POST = createUserSecretFromPreset;
