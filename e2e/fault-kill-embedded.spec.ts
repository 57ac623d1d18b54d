// The embedded default killed with SIGKILL under write load (power cut, OOM killer), then started
// again: the data dir opens and every write that was answered with success is there.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { isGone, killTree, startVault, vaultCli, type VaultServer } from "./vault-server";

const PORT = 3251;

test("SIGKILL of npm start under write load loses no acknowledged write", async () => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), "vault-kill-"));
  let vault: VaultServer = await startVault({ dataDir, port: PORT });
  vaultCli(dataDir, ["user", "create", "--email", "kill@e2e.test", "--password", "kill-password-0123"]);
  vaultCli(dataDir, ["project", "create", "--slug", "kill", "--name", "Kill", "--owner", "kill@e2e.test"]);
  const token = vaultCli(dataDir, ["token", "create", "--project", "kill", "--name", "w", "--scope", "secrets:read", "--scope", "secrets:manage"]).trim().split("\n").pop()!;
  const gql = (query: string, variables: object) =>
    fetch(`${vault.baseURL}/api/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json() as Promise<{ data?: { createSecret?: { name: string } }; errors?: unknown[] }>);

  const acknowledged: string[] = [];
  let stop = false;
  let n = 0;
  const writer = async () => {
    while (!stop) {
      const name = `KILL_${n++}`;
      try {
        const r = await gql("mutation($i:CreateSecretInput!){ createSecret(input:$i){ name } }", { i: { projectSlug: "kill", name, value: `value-${name}-0123456789` } });
        if (r.data?.createSecret?.name === name) acknowledged.push(name);
      } catch {
        return; // the server is gone
      }
    }
  };
  const writers = Array.from({ length: 4 }, writer);
  await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1500));
  const killed = killTree(vault.process.pid!);
  stop = true;
  await Promise.all(writers);
  // Orphans of the killed launcher are reaped by init, not by us: wait until they are gone.
  await expect.poll(() => killed.every(isGone), { timeout: 10_000 }).toBe(true);
  expect(acknowledged.length).toBeGreaterThan(5);

  vault = await startVault({ dataDir, port: PORT });
  try {
    const present = new Set<string>();
    for (let after: string | null = null; ; ) {
      const page = (await fetch(`${vault.baseURL}/api/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'query($a:String){ project(slug:"kill"){ secrets(first:200, after:$a, search:"KILL_"){ edges{ node{ name } } pageInfo{ hasNextPage endCursor } } } }',
          variables: { a: after },
        }),
      }).then((r) => r.json())) as { data: { project: { secrets: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } };
      for (const e of page.data.project.secrets.edges) present.add(e.node.name);
      if (!page.data.project.secrets.pageInfo.hasNextPage) break;
      after = page.data.project.secrets.pageInfo.endCursor;
    }
    expect(acknowledged.filter((name) => !present.has(name))).toEqual([]);
  } finally {
    await vault.stop();
  }
});
