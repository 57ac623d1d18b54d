// The vault's typed client (`import { createVaultClient } from "secrets-vault/client"`): the
// GraphQL operations of client/operations.mjs over fetch, with errors as classes carrying the
// GraphQL code. Plain JavaScript with no dependencies, so the CLI (bin/vault-client.mjs) starts with
// node alone; the types are in client/index.d.mts, generated from the schema by graphql-codegen.
// No call returns a value except consumers.resolve.
import * as op from "./operations.mjs";

export class VaultError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = "VaultError";
    this.code = code;
    this.details = details;
  }
}
export class UnauthenticatedError extends VaultError {}
export class ForbiddenError extends VaultError {}
export class NotFoundError extends VaultError {}
export class BadUserInputError extends VaultError {}
export class ConflictError extends VaultError {}
export class UnavailableError extends VaultError {}
// The vault could not be reached, or answered something that is not the GraphQL API.
export class VaultConnectionError extends VaultError {}

const ERROR_CLASSES = {
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  BAD_USER_INPUT: BadUserInputError,
  CONFLICT: ConflictError,
  UNAVAILABLE: UnavailableError,
};

export function errorFor(code, message, details) {
  const Class = ERROR_CLASSES[code] ?? VaultError;
  const error = new Class(code, message, details);
  error.name = Class.name;
  return error;
}

const PAGE = 200;

export function createVaultClient(options = {}) {
  const url = (options.url ?? process.env.VAULT_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const token = options.token ?? process.env.VAULT_TOKEN;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const clientName = options.clientName ?? "vault-sdk";
  let projectSlug = options.project ?? null;

  async function request(query, variables = {}) {
    if (!token) throw new UnauthenticatedError("UNAUTHENTICATED", "No API token: pass { token } or set VAULT_TOKEN");
    let response;
    try {
      response = await fetchImpl(`${url}/api/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-vault-client": clientName },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new VaultConnectionError("UNREACHABLE", `cannot reach the vault at ${url}`);
    }
    const body = await response.json().catch(() => null);
    if (!body) throw new VaultConnectionError("UNREACHABLE", `the vault at ${url} answered HTTP ${response.status}`);
    if (body.errors?.length) {
      const { code, ...details } = body.errors[0].extensions ?? {};
      throw errorFor(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR", body.errors[0].message, details);
    }
    return body.data;
  }

  // The project calls act in: the one given, else the token's own.
  async function project(given) {
    if (given) return given;
    if (!projectSlug) {
      const { projects } = await request(op.SdkProjects);
      if (projects.length !== 1) throw new BadUserInputError("BAD_USER_INPUT", "This token does not belong to exactly one project: pass { project }");
      projectSlug = projects[0].slug;
    }
    return projectSlug;
  }

  const withFields = (query) => `${query}\n${op.SecretFields}`;

  async function get(name, opts = {}) {
    const slug = await project(opts.project);
    const data = await request(withFields(op.SdkGetSecret), { slug, name });
    if (!data.project) throw new NotFoundError("NOT_FOUND", "Project not found");
    return data.project.secret;
  }

  async function found(name, opts) {
    const secret = await get(name, opts);
    if (!secret) throw new NotFoundError("NOT_FOUND", `Secret ${name} not found`);
    return secret;
  }

  return {
    request,
    project,
    secrets: {
      async list(opts = {}) {
        const slug = await project(opts.project);
        const out = [];
        let after = null;
        do {
          const data = await request(withFields(op.SdkListSecrets), { slug, first: PAGE, after, search: opts.search ?? null });
          if (!data.project) throw new NotFoundError("NOT_FOUND", "Project not found");
          const page = data.project.secrets;
          out.push(...page.edges.map((e) => e.node));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after);
        return out;
      },
      get,
      async create(input) {
        const { project: given, ...rest } = input;
        const data = await request(withFields(op.SdkCreateSecret), { input: { ...rest, projectSlug: await project(given) } });
        return data.createSecret;
      },
      // By name (the secret's key) in the project; `expectedVersion` guards against concurrent edits.
      async update(name, input, opts = {}) {
        const secret = await found(name, opts);
        const data = await request(withFields(op.SdkUpdateSecret), { input: { ...input, id: secret.id } });
        return data.updateSecret;
      },
      async delete(name, opts = {}) {
        const secret = await found(name, opts);
        const data = await request(op.SdkDeleteSecret, { input: { id: secret.id, confirmName: secret.name, force: opts.force ?? null } });
        return data.deleteSecret;
      },
      async clone(name, targetProjectSlug, opts = {}) {
        const secret = await found(name, opts);
        const data = await request(withFields(op.SdkCloneSecret), { input: { id: secret.id, targetProjectSlug, overwrite: opts.overwrite ?? null } });
        return data.cloneSecret;
      },
      async presets() {
        return (await request(op.SdkSecretPresets)).secretPresets;
      },
    },
    consumers: {
      async create(input) {
        const { project: given, ...rest } = input;
        return (await request(op.SdkCreateConsumer, { input: { ...rest, projectSlug: await project(given) } })).createConsumer;
      },
      async attach(input) {
        return (await request(op.SdkAttachSecret, { input })).attachSecret;
      },
      // Values: for tokens holding secrets:inject. A consumer's name, or a selection: consumers in
      // precedence order, then secrets chosen by name or id (the later source wins).
      async resolve(selection) {
        if (typeof selection === "string") return (await request(op.SdkResolveEnvironment, { consumer: selection })).resolveEnvironment;
        const { consumers = [], names = [], ids = [] } = selection;
        return (await request(op.SdkResolveSecrets, { consumers, names, ids })).resolveSecrets;
      },
    },
  };
}
