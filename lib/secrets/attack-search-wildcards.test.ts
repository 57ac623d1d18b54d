// Attack: `%` and `_` typed into the search box are LIKE wildcards unless escaped, so a search
// matches (and counts) secrets it does not name. The search must match what was typed, literally.
import { beforeAll, describe, expect, it } from "vitest";
import { newTeam } from "../../test/fixtures";
import { createSecret } from "./create-secret";
import { countSecrets, listSecrets } from "./list-secrets";

let team: Awaited<ReturnType<typeof newTeam>>;
beforeAll(async () => {
  team = await newTeam();
  const rows = [
    ["A_B", "rate 100% of traffic"],
    ["AXB", "rate 1000 of traffic"],
    ["BACK", "path C:\\vault\\keys"],
    ["BXCK", "path C:Xvault"],
  ];
  for (const [name, description] of rows) await createSecret(team.editor.actor, { projectSlug: team.slug, name, value: "value-0123456789", description });
});

const names = async (search: string) => (await listSecrets(team.viewer.actor, { projectId: team.project.id, search })).nodes.map((n) => n.name);

describe("search matches what was typed, literally", () => {
  it("_ in a name prefix matches an underscore only", async () => {
    expect(await names("a_")).toEqual(["A_B"]);
    expect(await countSecrets(team.viewer.actor, team.project.id, "a_")).toBe(1);
  });

  it("% and _ in description words match themselves", async () => {
    expect(await names("100%")).toEqual(["A_B"]);
    expect(await names("%")).toEqual(["A_B"]);
    expect(await names("c:_vault")).toEqual([]);
  });

  it("a backslash is a character, not an escape", async () => {
    expect(await names("C:\\vault\\keys")).toEqual(["BACK"]);
  });
});
