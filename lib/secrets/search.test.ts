// What the search box and GraphQL `search` find, and that paging a search with cursors walks exactly
// that set in name order. A key fragment (one word of key characters with a `_` or a digit) is a key
// prefix through the name index; only when no key starts with it are descriptions searched.
import { beforeAll, describe, expect, it } from "vitest";
import { newTeam } from "../../test/fixtures";
import { db } from "../db/client";
import { createSecret } from "./create-secret";
import { countSecrets, listSecrets } from "./list-secrets";

let team: Awaited<ReturnType<typeof newTeam>>;
beforeAll(async () => {
  team = await newTeam();
  const rows: [string, string][] = [
    ["DB_HOST", "primary database host"],
    ["DB_PASSWORD", "rotated by job_42 every month"],
    ["DBX_URL", "analytics warehouse"],
    ["STRIPE_KEY", "live key"],
    ["WEBHOOK_SECRET", "Stripe webhook signing secret"],
    ["_PRIVATE", "leading underscore"],
    ["A_B", "letters"],
    ["AXB", "mentions db_ in passing"],
  ];
  for (const [name, description] of rows) await createSecret(team.editor.actor, { projectSlug: team.slug, name, value: "value-0123456789", description });
});

const names = async (search: string, first?: number) => (await listSecrets(team.viewer.actor, { projectId: team.project.id, search, first })).nodes.map((n) => n.name);

// Every page of a search, walking the cursor, as a client would.
async function walk(search: string, first: number) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: Awaited<ReturnType<typeof listSecrets>> = await listSecrets(team.viewer.actor, { projectId: team.project.id, search, first, after });
    seen.push(...page.nodes.map((n) => n.name));
    if (!page.hasNextPage) return seen;
    after = page.endCursor;
  }
  throw new Error(`paging ${search} did not end: ${seen.slice(0, 10).join(" ")}`);
}

describe("search", () => {
  it("a key fragment finds the keys starting with it, `_` literally, case-insensitive", async () => {
    expect(await names("db_")).toEqual(["DB_HOST", "DB_PASSWORD"]);
    expect(await names("DB_")).toEqual(["DB_HOST", "DB_PASSWORD"]);
    expect(await names("a_")).toEqual(["A_B"]);
    expect(await names("_")).toEqual(["_PRIVATE"]);
    // Keys start with it: descriptions mentioning it ("db_ in passing") are not searched.
    expect(await countSecrets(team.viewer.actor, team.project.id, "db_")).toBe(2);
  });

  it("a key fragment no key starts with searches the descriptions", async () => {
    expect(await names("job_42")).toEqual(["DB_PASSWORD"]);
    expect(await countSecrets(team.viewer.actor, team.project.id, "job_42")).toBe(1);
    expect(await names("nokey_99")).toEqual([]);
    expect(await countSecrets(team.viewer.actor, team.project.id, "nokey_99")).toBe(0);
  });

  it("a plain word finds key prefixes and descriptions; several words, descriptions with every word", async () => {
    expect(await names("stripe")).toEqual(["STRIPE_KEY", "WEBHOOK_SECRET"]);
    // Byte order: `X` (0x58) before `_` (0x5F); AXB's description mentions "db_".
    expect(await names("db")).toEqual(["AXB", "DBX_URL", "DB_HOST", "DB_PASSWORD"]);
    expect(await names("DATABASE")).toEqual(["DB_HOST"]);
    expect(await names("stripe signing")).toEqual(["WEBHOOK_SECRET"]);
    expect(await names("  live   KEY ")).toEqual(["STRIPE_KEY"]);
    expect(await countSecrets(team.viewer.actor, team.project.id, "stripe")).toBe(2);
  });

  it("pages of a search, walked with the cursor, are the whole result in name order", async () => {
    for (const search of ["db_", "db", "stripe", "job_42", "key", "a"]) {
      const all = await names(search, 200);
      expect(await walk(search, 1)).toEqual(all);
      expect(await walk(search, 2)).toEqual(all);
      expect([...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(all);
      expect(await countSecrets(team.viewer.actor, team.project.id, search)).toBe(all.length);
    }
    // Past the last key of a key fragment: an empty page, not the descriptions.
    const [last] = (await listSecrets(team.viewer.actor, { projectId: team.project.id, search: "db_", first: 2 })).nodes.slice(-1);
    const past = await listSecrets(team.viewer.actor, { projectId: team.project.id, search: "db_", after: Buffer.from(last.name).toString("base64url") });
    expect(past.nodes).toEqual([]);
  });

  it("orders and ranges names byte by byte whatever the cluster's collation (Secret.name is COLLATE \"C\")", async () => {
    const [column] = await db().$queryRaw<{ collation: string | null }[]>`
      SELECT collation_name AS collation FROM information_schema.columns WHERE table_name = 'Secret' AND column_name = 'name'`;
    expect(column.collation).toBe("C");
    const all = (await listSecrets(team.viewer.actor, { projectId: team.project.id, first: 200 })).nodes.map((n) => n.name);
    expect(all).toEqual([...all].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(all.slice(0, 2)).toEqual(["AXB", "A_B"]);
  });
});
