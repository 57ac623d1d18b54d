import { listPresets } from "@/rest/secrets";

export const dynamic = "force-dynamic";
export const GET = listPresets;
