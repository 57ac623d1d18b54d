import { restRoute } from "@/rest/handler";
import { openApiDocument } from "@/rest/openapi";

export const dynamic = "force-dynamic";

// For signed-in callers and tokens, like everything else the vault says about itself.
export const GET = restRoute("GET /openapi.json", async () => ({ body: openApiDocument() }));
