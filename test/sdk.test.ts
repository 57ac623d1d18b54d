import { describe, expect, it } from "vitest";
import { BadUserInputError, ConflictError, createVaultClient, errorFor, NotFoundError, UnauthenticatedError, VaultConnectionError, VaultError } from "secrets-vault/client";

// The typed client's own behaviour, with a fake fetch (e2e/sdk.spec.ts runs it against the vault).
function fakeVault(answer: (body: { query: string; variables: Record<string, unknown> }) => unknown) {
  const calls: { query: string; variables: Record<string, unknown>; headers: Record<string, string> }[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init!.body));
    calls.push({ ...body, headers: init!.headers as Record<string, string> });
    return new Response(JSON.stringify(answer(body)), { headers: { "content-type": "application/json" } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe("the typed client", () => {
  it("turns GraphQL error codes into typed errors carrying the code and details", async () => {
    expect(errorFor("CONFLICT", "x")).toBeInstanceOf(ConflictError);
    expect(errorFor("SOMETHING_ELSE", "x")).toBeInstanceOf(VaultError);
    const vault = fakeVault(() => ({ errors: [{ message: "Unknown preset", extensions: { code: "BAD_USER_INPUT", field: "preset" } }] }));
    const error = await createVaultClient({ url: "http://vault", token: "vlt_x", project: "p", fetch: vault.fetch }).secrets.create({ preset: "nope", value: "v" }).catch((e) => e);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", message: "Unknown preset", details: { field: "preset" }, name: "BadUserInputError" });
    expect(vault.calls[0].headers).toMatchObject({ authorization: "Bearer vlt_x", "x-vault-client": "vault-sdk" });
    expect(vault.calls[0].variables).toEqual({ input: { preset: "nope", value: "v", projectSlug: "p" } });
  });

  it("refuses to call without a token, and says when the vault cannot be reached", async () => {
    const saved = process.env.VAULT_TOKEN;
    delete process.env.VAULT_TOKEN;
    try {
      expect(await createVaultClient({ url: "http://vault" }).secrets.list().catch((e) => e)).toBeInstanceOf(UnauthenticatedError);
    } finally {
      if (saved !== undefined) process.env.VAULT_TOKEN = saved;
    }
    const down = async () => Promise.reject(new Error("ECONNREFUSED"));
    const error = await createVaultClient({ url: "http://vault", token: "vlt_x", fetch: down as typeof fetch }).secrets.presets().catch((e) => e);
    expect(error).toBeInstanceOf(VaultConnectionError);
    expect(error.message).toBe("cannot reach the vault at http://vault");
  });

  it("uses the token's project, lists every page, and looks secrets up by name for update and delete", async () => {
    const node = (name: string) => ({ id: `id-${name}`, name, version: 1 });
    const vault = fakeVault(({ query, variables }) => {
      if (query.includes("SdkProjects")) return { data: { projects: [{ slug: "team", name: "Team", personal: false }] } };
      if (query.includes("SdkListSecrets")) {
        const first = variables.after === null;
        return { data: { project: { secrets: { edges: (first ? ["A", "B"] : ["C"]).map((n) => ({ node: node(n) })), pageInfo: { hasNextPage: first, endCursor: first ? "Qg" : null } } } } };
      }
      if (query.includes("SdkGetSecret")) return { data: { project: { secret: variables.name === "MISSING" ? null : node(String(variables.name)) } } };
      if (query.includes("SdkDeleteSecret")) return { data: { deleteSecret: { id: "id-A", name: "A" } } };
      throw new Error(`unexpected ${query}`);
    });
    const client = createVaultClient({ url: "http://vault", token: "vlt_x", fetch: vault.fetch });
    expect((await client.secrets.list()).map((s) => s.name)).toEqual(["A", "B", "C"]);
    expect(vault.calls.filter((c) => c.query.includes("SdkProjects"))).toHaveLength(1);
    expect(vault.calls.filter((c) => c.query.includes("SdkListSecrets")).map((c) => c.variables.after)).toEqual([null, "Qg"]);
    expect(await client.secrets.delete("A", { force: true })).toEqual({ id: "id-A", name: "A" });
    expect(vault.calls.at(-1)!.variables).toEqual({ input: { id: "id-A", confirmName: "A", force: true } });
    expect(await client.secrets.update("MISSING", { description: "x" }).catch((e) => e)).toBeInstanceOf(NotFoundError);
    expect(vault.calls.filter((c) => c.query.includes("SdkProjects"))).toHaveLength(1);
  });
});
