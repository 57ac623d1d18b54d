import { z } from "zod";
import { PAGE_MAX } from "@/lib/secrets/list-secrets";
import {
  createPresetSecretBody,
  createSecretBody,
  deletedSecretResponse,
  errorResponse,
  presetListResponse,
  resolveBody,
  resolveResponse,
  secretListResponse,
  secretResponse,
  updateSecretBody,
} from "./schemas";

// The OpenAPI 3.1 document of the REST API, generated from the zod schemas the adapters parse and
// whitelist with (rest/schemas.ts): request bodies as their input, responses as their output.

const requests = { CreateSecretRequest: createSecretBody, CreatePresetSecretRequest: createPresetSecretBody, UpdateSecretRequest: updateSecretBody, ResolveRequest: resolveBody };
const responses = {
  Secret: secretResponse,
  SecretList: secretListResponse,
  DeletedSecret: deletedSecretResponse,
  SecretPresetList: presetListResponse,
  ResolveResponse: resolveResponse,
  Error: errorResponse,
};

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any", reused: "inline" }) as Record<string, unknown>;
  return rest;
}

const ref = (name: keyof typeof requests | keyof typeof responses) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: keyof typeof requests | keyof typeof responses, description: string) => ({ description, content: { "application/json": { schema: ref(name) } } });

const ERRORS: Record<string, string> = {
  "400": "Invalid input (BAD_USER_INPUT); the message names the field, never the value",
  "401": "No valid bearer token or session (UNAUTHENTICATED)",
  "403": "The caller lacks the permission, or a cross-site write was refused (FORBIDDEN)",
  "404": "No such secret or project for this caller, including another project's (NOT_FOUND)",
  "409": "Conflict (CONFLICT): the name exists, the secret moved on, or consumers use it",
  "413": "The body is larger than 1 MiB (PAYLOAD_TOO_LARGE)",
  "503": "The database or SSM is unavailable; try again (UNAVAILABLE)",
};
const errors = (...codes: string[]) => Object.fromEntries(codes.map((c) => [c, json("Error", ERRORS[c])]));

const projectParam = {
  name: "project",
  in: "query",
  required: false,
  description: "A shared project's slug; default: the caller's Personal project (a token: its own project).",
  schema: { type: "string" },
};
const idParam = { name: "secret_id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Secrets vault REST API",
      version: "1",
      description: "User secrets: write-only values, masked hints. The same services and permissions as the GraphQL API at /api/graphql.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      "/api/v1/user/secrets": {
        get: {
          operationId: "listSecrets",
          summary: "List secrets (never values), by name",
          parameters: [
            projectParam,
            { name: "search", in: "query", required: false, schema: { type: "string" }, description: "A name prefix or description words." },
            { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: PAGE_MAX, default: PAGE_MAX } },
            { name: "cursor", in: "query", required: false, schema: { type: "string" }, description: "The X-Next-Cursor of the previous page." },
          ],
          responses: {
            "200": { ...json("SecretList", "The secrets; X-Next-Cursor is set when there are more"), headers: { "X-Next-Cursor": { schema: { type: "string" } } } },
            ...errors("400", "401", "403", "404", "503"),
          },
        },
        post: {
          operationId: "createSecret",
          summary: "Create a secret",
          parameters: [projectParam],
          requestBody: { required: true, content: { "application/json": { schema: ref("CreateSecretRequest") } } },
          responses: { "201": json("Secret", "Created"), ...errors("400", "401", "403", "404", "409", "413", "503") },
        },
      },
      "/api/v1/user/secrets/{secret_id}": {
        get: {
          operationId: "getSecret",
          summary: "One secret (never its value)",
          parameters: [idParam, projectParam],
          responses: { "200": json("Secret", "The secret"), ...errors("401", "403", "404", "503") },
        },
        put: {
          operationId: "updateSecret",
          summary: "Update a secret; a new value becomes a new version",
          parameters: [idParam, projectParam],
          requestBody: { required: true, content: { "application/json": { schema: ref("UpdateSecretRequest") } } },
          responses: { "200": json("Secret", "Updated"), ...errors("400", "401", "403", "404", "409", "413", "503") },
        },
        delete: {
          operationId: "deleteSecret",
          summary: "Delete a secret permanently",
          parameters: [
            idParam,
            projectParam,
            { name: "force", in: "query", required: false, schema: { type: "boolean" }, description: "Required when consumers use the secret (409 names them otherwise)." },
          ],
          responses: { "200": json("DeletedSecret", "Deleted"), ...errors("400", "401", "403", "404", "409", "503") },
        },
      },
      "/api/v1/user/secrets/presets": {
        get: {
          operationId: "listPresets",
          summary: "Provider presets and the names they fix",
          responses: { "200": json("SecretPresetList", "The presets"), ...errors("401") },
        },
      },
      "/api/v1/user/secrets/preset": {
        post: {
          operationId: "createSecretFromPreset",
          summary: "Create a secret from a preset (the preset fixes the name)",
          parameters: [projectParam],
          requestBody: { required: true, content: { "application/json": { schema: ref("CreatePresetSecretRequest") } } },
          responses: { "201": json("Secret", "Created"), ...errors("400", "401", "403", "404", "409", "413", "503") },
        },
      },
      "/api/v1/user/secrets/resolve": {
        post: {
          operationId: "resolveSecrets",
          summary: "Values of chosen secrets and/or consumers: API tokens with secrets:inject, in the token's project; audited",
          requestBody: { required: true, content: { "application/json": { schema: ref("ResolveRequest") } } },
          responses: { "200": json("ResolveResponse", "The environment"), ...errors("400", "401", "403", "404", "413", "503") },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (vlt_…)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The dashboard session; writes must be same-origin JSON" },
      },
      schemas: {
        ...Object.fromEntries(Object.entries(requests).map(([name, s]) => [name, jsonSchema(s, "input")])),
        ...Object.fromEntries(Object.entries(responses).map(([name, s]) => [name, jsonSchema(s, "output")])),
      },
    },
  };
}
