import "server-only";
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
  type Parameter,
} from "@aws-sdk/client-ssm";
import { env } from "../env";
import { AppError } from "../errors";

// AWS SSM Parameter Store: SecureString parameters under <prefix>/<project-id>/<secret-name>,
// encrypted with the configured KMS key. The vault keeps only the parameter's name and version.

export const TIER_LIMIT = { standard: 4096, advanced: 8192 } as const;
const BATCH = 10; // GetParameters takes at most 10 names
const MAX_ATTEMPTS = 5;

export const ssmConfigured = () => Boolean(env().AWS_REGION);

export function parameterName(projectId: string, secretName: string) {
  return `${env().VAULT_SSM_PREFIX}/${projectId}/${secretName}`;
}

// Refused before any call to AWS.
export function assertFitsTier(value: Buffer, tier = env().VAULT_SSM_TIER) {
  if (value.length > TIER_LIMIT[tier]) {
    throw new AppError(
      "BAD_USER_INPUT",
      tier === "standard"
        ? "Secret value is larger than SSM's standard tier allows (4 KB): store it in the database, or set VAULT_SSM_TIER=advanced (8 KB)"
        : "Secret value is larger than SSM's advanced tier allows (8 KB): store it in the database instead",
      { field: "value" },
    );
  }
}

const calls = new Map<string, number>();
// How many SSM API calls of each kind this process made (tests count batch reads with it).
export const ssmCallCounts = () => Object.fromEntries(calls);
export const resetSsmCallCounts = () => calls.clear();

let client: SSMClient | undefined;
let endpointOverride: string | undefined;
function ssm(): SSMClient {
  if (!client) {
    const { AWS_REGION, AWS_ENDPOINT_URL_SSM } = env();
    const endpoint = endpointOverride ?? AWS_ENDPOINT_URL_SSM;
    client = new SSMClient({
      region: AWS_REGION,
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: 1, // retries are ours: bounded, with backoff, within a deadline
      requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.set(context.commandName ?? "?", (calls.get(context.commandName ?? "?") ?? 0) + 1);
        return next(args);
      },
      { step: "initialize", name: "vaultCallCounter" },
    );
  }
  return client;
}

// Test hook: point the client at another endpoint (a second SSM server that a test stops).
export function useSsmEndpoint(endpoint: string | undefined) {
  client?.destroy();
  client = undefined;
  endpointOverride = endpoint;
}

const retryable = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  return (
    e?.name === "ThrottlingException" ||
    e?.name === "TooManyUpdates" ||
    Boolean(e?.$retryable) ||
    (e?.$metadata?.httpStatusCode ?? 0) >= 500
  );
};

// Fails closed: every failure becomes UNAVAILABLE naming SSM and the parameter, never a value.
function unavailable(error: unknown, what: string): AppError {
  const name = (error as { name?: string })?.name ?? "Error";
  const reason =
    name === "AccessDeniedException" || name === "UnrecognizedClientException"
      ? "access was denied"
      : name === "ThrottlingException"
        ? "requests are being throttled"
        : name === "ParameterNotFound"
          ? "the parameter does not exist"
          : "it could not be reached";
  return new AppError("UNAVAILABLE", `SSM Parameter Store is unavailable for ${what}: ${reason}`);
}

async function withRetries<T>(what: string, deadline: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new AppError("UNAVAILABLE", `SSM Parameter Store did not answer in time for ${what}`);
    try {
      return await fn(AbortSignal.timeout(remaining));
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw unavailable(error, what);
      const backoff = Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (Date.now() + backoff >= deadline) throw unavailable(error, what);
      await new Promise((r) => setTimeout(r, backoff));
    }
  }
}

const deadlineFrom = () => Date.now() + env().VAULT_SSM_DEADLINE_MS;

// Writes a value; `create` refuses to replace an existing parameter. Returns the new version.
export async function putParameter(name: string, value: Buffer, opts: { create: boolean }): Promise<bigint> {
  assertFitsTier(value);
  const { VAULT_SSM_KMS_KEY_ID, VAULT_SSM_TIER } = env();
  return withRetries(name, deadlineFrom(), async (abortSignal) => {
    try {
      const out = await ssm().send(
        new PutParameterCommand({
          Name: name,
          Value: value.toString("utf8"),
          Type: "SecureString",
          KeyId: VAULT_SSM_KMS_KEY_ID,
          Tier: VAULT_SSM_TIER === "advanced" ? "Advanced" : "Standard",
          Overwrite: !opts.create,
        }),
        { abortSignal },
      );
      return BigInt(out.Version ?? 1);
    } catch (error) {
      if ((error as { name?: string }).name === "ParameterAlreadyExists") {
        throw new AppError("CONFLICT", `SSM parameter ${name} already exists; run \`npm run vault -- ssm reconcile\` if it is left over`);
      }
      throw error;
    }
  });
}

// One version of a parameter, decrypted (latest when version is omitted).
export async function getParameter(name: string, version?: bigint): Promise<{ value: Buffer; version: bigint }> {
  return withRetries(name, deadlineFrom(), async (abortSignal) => {
    const out = await ssm().send(
      new GetParameterCommand({ Name: version ? `${name}:${version}` : name, WithDecryption: true }),
      { abortSignal },
    );
    return { value: Buffer.from(out.Parameter?.Value ?? "", "utf8"), version: BigInt(out.Parameter?.Version ?? 0) };
  });
}

// Latest versions of many parameters, 10 per call, in the order given; all or nothing.
export async function getParameters(names: string[]): Promise<{ value: Buffer; version: bigint }[]> {
  const deadline = deadlineFrom();
  const found = new Map<string, Parameter>();
  for (let i = 0; i < names.length; i += BATCH) {
    const batch = [...new Set(names.slice(i, i + BATCH))];
    const out = await withRetries(batch.length === 1 ? batch[0] : `${batch.length} parameters`, deadline, (abortSignal) =>
      ssm().send(new GetParametersCommand({ Names: batch, WithDecryption: true }), { abortSignal }),
    );
    if (out.InvalidParameters?.length) {
      throw new AppError("UNAVAILABLE", `SSM parameter ${out.InvalidParameters[0]} was not found`);
    }
    for (const p of out.Parameters ?? []) found.set(p.Name!, p);
  }
  return names.map((n) => {
    const p = found.get(n)!;
    return { value: Buffer.from(p.Value ?? "", "utf8"), version: BigInt(p.Version ?? 0) };
  });
}

// Deletes a parameter; one that is already gone counts as deleted.
export async function deleteParameter(name: string): Promise<void> {
  await withRetries(name, deadlineFrom(), async (abortSignal) => {
    try {
      await ssm().send(new DeleteParameterCommand({ Name: name }), { abortSignal });
    } catch (error) {
      if ((error as { name?: string }).name !== "ParameterNotFound") throw error;
    }
  });
}

// Every parameter under the prefix, with its last modification (for reconciliation).
export async function listParameters(): Promise<{ name: string; modified: Date }[]> {
  const out: { name: string; modified: Date }[] = [];
  let NextToken: string | undefined;
  const deadline = Date.now() + 10 * env().VAULT_SSM_DEADLINE_MS;
  do {
    const page = await withRetries(env().VAULT_SSM_PREFIX, deadline, (abortSignal) =>
      ssm().send(new GetParametersByPathCommand({ Path: env().VAULT_SSM_PREFIX, Recursive: true, WithDecryption: false, NextToken }), { abortSignal }),
    );
    for (const p of page.Parameters ?? []) out.push({ name: p.Name!, modified: p.LastModifiedDate ?? new Date(0) });
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
