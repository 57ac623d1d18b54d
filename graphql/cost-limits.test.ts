// "GraphQL cost": what a request may ask for is decided before anything runs. Depth, aliases and the
// cost of nested lists are refused with a message that names the limit, in milliseconds, and a
// refused request has run no resolver. Fragments are followed, and fragment cycles or exponential
// spreads cannot make the checks hang.
import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { newTeam } from "../test/fixtures";
import { codeOf, gql } from "../test/graphql";
import { LIMITS, queryLimitsRule } from "./limits";
import { PAGE_MAX } from "./paging";

// Every root list and object of the attack queries below starts in these two services: counting
// their calls shows whether anything executed.
vi.mock("@/lib/projects/get-project", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/projects/get-project")>();
  return { ...original, listProjects: vi.fn(original.listProjects), getProject: vi.fn(original.getProject) };
});
const { listProjects, getProject } = await import("@/lib/projects/get-project");
const resolverCalls = () => vi.mocked(listProjects).mock.calls.length + vi.mocked(getProject).mock.calls.length;

const messages = (r: { errors?: { message: string }[] }) => (r.errors ?? []).map((e) => e.message);

// A schema with a cycle (the vault's is acyclic today), to reach depths the real one cannot.
const cyclic = buildSchema(`
  type Query { node: Node, nodes(first: Int): [Node!]! }
  type Node { id: ID!, child: Node, children(first: Int = 10): [Node!]! }
`);
const check = (query: string) => validate(cyclic, parse(query), [...specifiedRules, queryLimitsRule]).map((e) => e.message);
const nest = (levels: number, leaf = "id") => Array.from({ length: levels - 1 }).reduce<string>((inner) => `child { ${inner} }`, leaf);

let team: Awaited<ReturnType<typeof newTeam>>;
beforeAll(async () => {
  team = await newTeam();
  // Start the server (schema, plugins) so no timing below includes it.
  await gql(null, "{ viewer { id } }");
});
beforeEach(() => {
  vi.mocked(listProjects).mockClear();
  vi.mocked(getProject).mockClear();
});

describe("depth", () => {
  it(`refuses more than ${LIMITS.maxDepth} levels, counted through fragments`, () => {
    // node + 11 nested fields + the leaf = 12 levels / 13 levels.
    expect(check(`{ node { ${nest(11)} } }`)).toEqual([]);
    expect(check(`{ node { ${nest(12)} } }`)).toEqual([`The operation is nested 13 levels deep; the limit is ${LIMITS.maxDepth}.`]);
    expect(check(`query Deep { node { ...A } } fragment A on Node { child { child { ...B } } } fragment B on Node { ${nest(10)} }`)).toEqual([
      `Operation Deep is nested 13 levels deep; the limit is ${LIMITS.maxDepth}.`,
    ]);
  });

  it("refuses deep documents on the vault's schema too, before any field is resolved", async () => {
    const deep = `{ projects { ${nest(12, "x")} } }`;
    const result = await gql(team.admin.actor, deep);
    expect(messages(result)).toContain(`The operation is nested 13 levels deep; the limit is ${LIMITS.maxDepth}.`);
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(resolverCalls()).toBe(0);
  });
});

describe("aliases", () => {
  it(`refuses more than ${LIMITS.maxAliases} aliases`, async () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(" ");
    expect(codeOf(await gql(team.admin.actor, `{ ${fields(LIMITS.maxAliases)} }`))).toBeUndefined();
    const result = await gql(team.admin.actor, `{ ${fields(LIMITS.maxAliases + 1)} }`);
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(messages(result)).toEqual([`The operation uses ${LIMITS.maxAliases + 1} aliases; the limit is ${LIMITS.maxAliases}.`]);
  });

  it("counts a fragment's aliases once per spread", async () => {
    // 13 aliases written down, 3 + 3 × 10 = 33 executed.
    const members = Array.from({ length: 10 }, (_, i) => `m${i}: members(first: 1) { id }`).join(" ");
    const query = `query Spread($s: String!) { p1: project(slug: $s) { ...M } p2: project(slug: $s) { ...M } p3: project(slug: $s) { ...M } } fragment M on Project { ${members} }`;
    const result = await gql(team.admin.actor, query, { s: team.slug });
    expect(messages(result)).toEqual([`Operation Spread uses 33 aliases; the limit is ${LIMITS.maxAliases}.`]);
    expect(resolverCalls()).toBe(0);
  });

  it("refuses a 500-alias query of nested lists in milliseconds, having run no resolver", async () => {
    const aliases = Array.from(
      { length: 500 },
      // Small enough to pass the parser's token limit: the alias limit is what refuses it.
      (_, i) => `p${i}: projects { members { id } }`,
    ).join("\n");
    // graphql-js's own rules take a cold process ~200 ms the first time they meet a document this
    // size (JIT); refused documents are never cached, so a second run measures the steady state.
    await gql(team.admin.actor, `query Flood { ${aliases} }`);
    const started = performance.now();
    const result = await gql(team.admin.actor, `query Flood { ${aliases} }`);
    const elapsed = performance.now() - started;
    expect(result.data).toBeUndefined();
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(messages(result)).toContain(`Operation Flood uses 500 aliases; the limit is ${LIMITS.maxAliases}.`);
    expect(resolverCalls()).toBe(0);
    // A sanity bound only (seconds, not milliseconds: a loaded 2-core CI machine is slow): the refusal
    // is what matters, and it came before any resolver ran. The speed itself is measured by bench.
    expect(elapsed).toBeLessThan(1500);
  });
});

describe("cost", () => {
  const nested = (first: string) =>
    `query Nested($s: String!${first === "$n" ? ", $n: Int" : ""}) { project(slug: $s) { secrets(first: ${first}) { edges { node { versions(first: ${first}) { version } consumers(first: ${first}) { variable } } } } } }`;

  it(`refuses nested lists that could return more than ${LIMITS.maxCost} objects`, async () => {
    // 1 project + a page of 200 + 200 × (edge + node + 200 versions + 200 consumers) = 80,601.
    const result = await gql(team.admin.actor, nested(String(PAGE_MAX)), { s: team.slug });
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(messages(result)).toEqual([
      `Operation Nested could return about 80601 objects; the limit is ${LIMITS.maxCost}. Ask for fewer items with \`first\` on nested lists.`,
    ]);
    expect(resolverCalls()).toBe(0);
    // Lists without `first` count as their default size: 50 projects × 50 secrets × (2 + 50) ≥ the limit.
    const defaults = await gql(team.admin.actor, "{ projects { secrets { edges { node { versions { version } } } } } }");
    expect(messages(defaults)[0]).toMatch(/^The operation could return about \d+ objects; the limit is 20000\./);
    expect(resolverCalls()).toBe(0);
  });

  it("counts `$first` variables at their value: refused when large, run when small", async () => {
    const big = await gql(team.admin.actor, nested("$n"), { s: team.slug, n: PAGE_MAX });
    expect(codeOf(big)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(messages(big)[0]).toContain("could return about 80601 objects");
    expect(resolverCalls()).toBe(0);
    const small = await gql(team.admin.actor, nested("$n"), { s: team.slug, n: 5 });
    expect(small.errors).toBeUndefined();
    expect(small.data).toEqual({ project: { secrets: { edges: [] } } });
    expect(resolverCalls()).toBe(1);
  });

  it("follows fragments when counting", async () => {
    const query = `query Frag($s: String!) { project(slug: $s) { secrets(first: 200) { edges { node { ...Heavy } } } } }
      fragment Heavy on Secret { versions(first: 200) { version } consumers(first: 200) { consumer { id } } }`;
    const result = await gql(team.admin.actor, query, { s: team.slug });
    expect(messages(result)[0]).toMatch(/^Operation Frag could return about \d+ objects; the limit is 20000\./);
    expect(resolverCalls()).toBe(0);
  });
});

describe("fragments cannot make the checks hang", () => {
  it("reports a fragment cycle without recursing forever", async () => {
    const started = performance.now();
    const result = await gql(team.admin.actor, "query Loop { ...A } fragment A on Query { viewer { id } ...B } fragment B on Query { ...A }");
    expect(codeOf(result)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(messages(result).join(" ")).toContain("Cannot spread fragment");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(check("{ node { ...X } } fragment X on Node { child { ...Y } } fragment Y on Node { children { ...X } }").join(" ")).toContain("Cannot spread fragment");
  });

  it("measures exponentially repeated spreads once per fragment", () => {
    // F30 spreads F29 twice, … : 2^30 copies of F0 if expanded.
    const fragments = [`fragment F0 on Node { a: id }`];
    for (let i = 1; i <= 30; i++) fragments.push(`fragment F${i} on Node { ...F${i - 1} ...F${i - 1} }`);
    const started = performance.now();
    const errors = check(`{ node { ...F30 } } ${fragments.join(" ")}`);
    expect(errors).toEqual([`The operation uses ${2 ** 30} aliases; the limit is ${LIMITS.maxAliases}.`]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("document size", () => {
  it(`stops parsing after ${LIMITS.maxTokens} tokens`, async () => {
    const fields = Array.from({ length: LIMITS.maxTokens }, () => "id").join(" ");
    const result = await gql(team.admin.actor, `{ viewer { ${fields} } }`);
    expect(codeOf(result)).toBe("GRAPHQL_PARSE_FAILED");
    expect(messages(result)[0]).toContain(`Document contains more that ${LIMITS.maxTokens} tokens`);
  });
});
