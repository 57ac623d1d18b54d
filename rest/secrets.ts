import "server-only";
import { z } from "zod";
import { resolveSecrets } from "@/lib/consumers/resolve-secrets";
import { callerProject } from "@/lib/projects/caller-project";
import { createSecret } from "@/lib/secrets/create-secret";
import { deleteSecret } from "@/lib/secrets/delete-secret";
import { getSecret } from "@/lib/secrets/get-secret";
import { listSecrets, PAGE_MAX } from "@/lib/secrets/list-secrets";
import { listSecretPresets } from "@/lib/secrets/presets";
import { loadSecretInProject } from "@/lib/secrets/shared";
import { updateSecret } from "@/lib/secrets/update-secret";
import { parseInput } from "@/lib/validation";
import { restRoute } from "./handler";
import {
  createPresetSecretBody,
  createSecretBody,
  deletedSecretResponse,
  listQuery,
  presetListResponse,
  resolveBody,
  resolveResponse,
  toRestSecret,
  updateSecretBody,
} from "./schemas";

// The documented "user secrets" endpoints as thin adapters: map snake_case in and out, pick the
// project (the caller's Personal project, a token's own, or ?project=<slug>), call the service.

type ById = { secret_id: string };
const projectParam = (query: URLSearchParams) => query.get("project") || null;
const booleanParam = z.enum(["true", "false", "1", "0"], { error: "force must be true or false" }).optional();

export const listUserSecrets = restRoute("GET /user/secrets", async ({ actor, query }) => {
  const q = parseInput(listQuery, Object.fromEntries(query));
  const project = await callerProject(actor, q.project);
  const page = await listSecrets(actor, { projectId: project.id, first: q.limit ?? PAGE_MAX, after: q.cursor, search: q.search });
  return {
    body: page.nodes.map((s) => toRestSecret(s, project.slug)),
    headers: page.hasNextPage && page.endCursor ? { "x-next-cursor": page.endCursor } : undefined,
  };
});

export const createUserSecret = restRoute(
  "POST /user/secrets",
  async ({ actor, query, body }) => {
    const project = await callerProject(actor, projectParam(query));
    const b = await body(createSecretBody);
    const secret = await createSecret(actor, {
      projectSlug: project.slug,
      name: b.name,
      value: b.value,
      description: b.description,
      type: b.type,
      metadata: b.metadata,
      storage: b.storage,
      envVar: b.env_var,
    });
    return { status: 201, body: toRestSecret(secret, project.slug) };
  },
  { write: true },
);

export const createUserSecretFromPreset = restRoute(
  "POST /user/secrets/preset",
  async ({ actor, query, body }) => {
    const project = await callerProject(actor, projectParam(query));
    const b = await body(createPresetSecretBody);
    const secret = await createSecret(actor, {
      projectSlug: project.slug,
      preset: b.preset,
      value: b.value,
      description: b.description,
      metadata: b.metadata,
      storage: b.storage,
      envVar: b.env_var,
    });
    return { status: 201, body: toRestSecret(secret, project.slug) };
  },
  { write: true },
);

export const getUserSecret = restRoute<ById>("GET /user/secrets/{secret_id}", async ({ actor, query, params }) => {
  const project = await callerProject(actor, projectParam(query));
  await loadSecretInProject(actor, params.secret_id, project.id);
  return { body: toRestSecret(await getSecret(actor, params.secret_id), project.slug) };
});

export const updateUserSecret = restRoute<ById>(
  "PUT /user/secrets/{secret_id}",
  async ({ actor, query, params, body }) => {
    const project = await callerProject(actor, projectParam(query));
    await loadSecretInProject(actor, params.secret_id, project.id);
    const b = await body(updateSecretBody);
    const secret = await updateSecret(actor, {
      id: params.secret_id,
      value: b.value,
      description: b.description,
      type: b.type,
      metadata: b.metadata,
      storage: b.storage,
      envVar: b.env_var,
      expectedVersion: b.expected_version,
    });
    return { body: toRestSecret(secret, project.slug) };
  },
  { write: true },
);

// The id is the confirmation here (the dashboard and GraphQL ask for the name); a secret attached to
// consumers still needs ?force=true, answered 409 naming them otherwise.
export const deleteUserSecret = restRoute<ById>(
  "DELETE /user/secrets/{secret_id}",
  async ({ actor, query, params }) => {
    const force = parseInput(booleanParam, query.get("force") ?? undefined, "force");
    const project = await callerProject(actor, projectParam(query));
    const secret = await loadSecretInProject(actor, params.secret_id, project.id);
    const deleted = await deleteSecret(actor, { id: secret.id, confirmName: secret.name, force: force === "true" || force === "1" });
    return { body: deletedSecretResponse.parse({ secret_id: deleted.id, name: deleted.name, deleted: true }) };
  },
  { write: true },
);

export const listPresets = restRoute("GET /user/secrets/presets", async ({ actor }) => ({
  body: presetListResponse.parse(listSecretPresets(actor)),
}));

// Values leave the server here and in GraphQL's resolveEnvironment/resolveSecrets only.
export const resolveUserSecrets = restRoute(
  "POST /user/secrets/resolve",
  async ({ actor, query, body }) => {
    // A named project must be the token's own (the service resolves in the token's project only).
    if (projectParam(query)) await callerProject(actor, projectParam(query));
    const b = await body(resolveBody);
    const r = await resolveSecrets(actor, { ids: b.secret_ids, names: b.names, consumers: b.consumers });
    return { body: resolveResponse.parse({ consumers: r.consumers.map((c) => c.name), variables: r.variables, conflicts: r.conflicts }) };
  },
  { write: true },
);
