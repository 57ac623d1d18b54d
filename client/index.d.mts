// Types of the vault's client (client/index.mjs), from graphql-codegen's output for the operations
// in client/operations.mjs: results and inputs are the schema's own types.
import type {
  AttachSecretInput,
  CreateConsumerInput,
  CreateSecretInput,
  SdkAttachSecretMutation,
  SdkCreateConsumerMutation,
  SdkDeleteSecretMutation,
  SdkProjectsQuery,
  SdkResolveEnvironmentMutation,
  SdkResolveSecretsMutation,
  SdkSecretFieldsFragment,
  SdkSecretPresetsQuery,
  UpdateSecretInput,
} from "../graphql/generated/client/graphql";

export type ErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "UNAVAILABLE" | "UNREACHABLE" | (string & {});

export class VaultError extends Error {
  readonly code: ErrorCode;
  // Safe structured detail from the server (a field name, missing names): never a value.
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>);
}
export class UnauthenticatedError extends VaultError {}
export class ForbiddenError extends VaultError {}
export class NotFoundError extends VaultError {}
export class BadUserInputError extends VaultError {}
export class ConflictError extends VaultError {}
export class UnavailableError extends VaultError {}
export class VaultConnectionError extends VaultError {}
export function errorFor(code: string, message: string, details?: Record<string, unknown>): VaultError;

export type Secret = SdkSecretFieldsFragment;
export type SecretPreset = SdkSecretPresetsQuery["secretPresets"][number];
export type Project = SdkProjectsQuery["projects"][number];
export type ResolvedEnvironment = SdkResolveSecretsMutation["resolveSecrets"] & SdkResolveEnvironmentMutation["resolveEnvironment"];

export interface VaultClientOptions {
  /** Default: VAULT_URL, else http://localhost:3000. */
  url?: string;
  /** An API token (vlt_…). Default: VAULT_TOKEN. */
  token?: string;
  /** The project's slug. Default: the token's own project. */
  project?: string;
  /** Recorded in audit rows as the client. Default: vault-sdk. */
  clientName?: string;
  fetch?: typeof fetch;
}

interface InProject {
  project?: string;
}

export interface VaultClient {
  request<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
  project(given?: string): Promise<string>;
  secrets: {
    list(opts?: InProject & { search?: string }): Promise<Secret[]>;
    /** null when there is no secret of that name. */
    get(name: string, opts?: InProject): Promise<Secret | null>;
    create(input: Omit<CreateSecretInput, "projectSlug"> & InProject): Promise<Secret>;
    update(name: string, input: Omit<UpdateSecretInput, "id">, opts?: InProject): Promise<Secret>;
    delete(name: string, opts?: InProject & { force?: boolean }): Promise<SdkDeleteSecretMutation["deleteSecret"]>;
    clone(name: string, targetProjectSlug: string, opts?: InProject & { overwrite?: boolean }): Promise<Secret>;
    presets(): Promise<SecretPreset[]>;
  };
  consumers: {
    create(input: Omit<CreateConsumerInput, "projectSlug"> & InProject): Promise<SdkCreateConsumerMutation["createConsumer"]>;
    attach(input: AttachSecretInput): Promise<SdkAttachSecretMutation["attachSecret"]>;
    /** The only call that returns values (API tokens holding secrets:inject). */
    resolve(selection: string | { consumers?: string[]; names?: string[]; ids?: string[] }): Promise<ResolvedEnvironment>;
  };
}

export function createVaultClient(options?: VaultClientOptions): VaultClient;
