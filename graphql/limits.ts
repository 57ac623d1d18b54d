// What one GraphQL request may ask for, decided before anything executes: a refused request has
// run no resolver.
//
// - tokens: the parser stops after LIMITS.maxTokens tokens (Apollo `parseOptions`), which bounds
//   the work of every validation rule, including graphql-js's quadratic overlap check.
// - depth: fields nested inside fields, fragments followed.
// - aliases: aliased fields in the operation as executed, so a fragment spread ten times counts
//   its aliases ten times.
// - cost: the objects the operation could return. A list multiplies what is selected under it by
//   its `first` argument (its default when absent), or by LIST_SIZE_HINTS / DEFAULT_LIST_SIZE when
//   it takes no `first`.
// Depth and aliases depend on the document alone: a validation rule (queryLimitsRule) refuses them,
// along with documents whose cost is too high whatever their variables say. The cost with the
// request's `$first` values is checked again once the operation is known (queryCostPlugin).
// Fragments are followed once each (results are memoized per fragment), and a fragment that spreads
// itself counts nothing the second time round: NoFragmentCyclesRule reports the cycle, these
// checks must only not hang on it.
// Introspection subtrees (`__schema`, `__type`) are not counted: introspection is refused in
// production (NoIntrospection) and is static data elsewhere.
import {
  GraphQLError,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLContext } from "./context";
import { PAGE_DEFAULT, PAGE_MAX, SECRETS_PAGE_MAX } from "./paging";

export const LIMITS = {
  maxTokens: 5_000,
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 20_000,
} as const;

// The largest `first` a list field takes (its resolver refuses more), PAGE_MAX unless named here.
const PAGE_MAX_BY_FIELD: Record<string, number> = { "Project.secrets": SECRETS_PAGE_MAX };

// A list field without `first` is assumed to hold this many items...
export const DEFAULT_LIST_SIZE = PAGE_DEFAULT;
// ...unless it is known better. A connection's `edges` is already counted by the connection's `first`.
const LIST_SIZE_HINTS: Record<string, number> = {
  "SecretConnection.edges": 1,
  "AuditEventConnection.edges": 1,
  // At most 200 templates per consumer (lib/consumers).
  "Consumer.templates": 200,
};

// Types are told apart by their Symbol.toStringTag, not graphql-js's instanceof predicates: the
// schema is built by Apollo's copy of graphql-js, which is not always this module's (vitest loads
// the ESM build for the app and the CommonJS one for Apollo), and in production those predicates
// would silently answer false.
const tag = (t: unknown) => (t as { [Symbol.toStringTag]?: string } | null | undefined)?.[Symbol.toStringTag];
const nullable = (t: GraphQLOutputType) => (tag(t) === "GraphQLNonNull" ? (t as { ofType: GraphQLOutputType }).ofType : t);
const isList = (t: GraphQLOutputType) => tag(nullable(t)) === "GraphQLList";
function namedType(t: GraphQLOutputType): GraphQLNamedType {
  let inner: unknown = t;
  while (tag(inner) === "GraphQLNonNull" || tag(inner) === "GraphQLList") inner = (inner as { ofType: unknown }).ofType;
  return inner as GraphQLNamedType;
}
const composite = (t: unknown): GraphQLCompositeType | undefined =>
  ["GraphQLObjectType", "GraphQLInterfaceType", "GraphQLUnionType"].includes(tag(t) ?? "") ? (t as GraphQLCompositeType) : undefined;
const withFields = (t: GraphQLCompositeType | undefined) =>
  t && (tag(t) === "GraphQLObjectType" || tag(t) === "GraphQLInterfaceType") ? (t as GraphQLObjectType) : undefined;

interface Totals {
  depth: number;
  aliases: number;
  cost: number;
}

const NONE: Totals = { depth: 0, aliases: 0, cost: 0 };
// Costs and alias counts can grow exponentially with nested fragment spreads; cap them far above
// any limit so the arithmetic stays finite.
const CAP = 1e12;
const add = (a: number, b: number) => Math.min(CAP, a + b);
const mul = (a: number, b: number) => Math.min(CAP, a * b);

// `$variable` values for `first`: the request's when known (the cost plugin), else none, and a
// variable without a value counts as its declared default or else as 1, so that the validation
// rule's estimate is a lower bound: what it refuses is too costly whatever the variables say.
type Variables = Readonly<Record<string, unknown>> | undefined;

function intValue(node: ValueNode | undefined, operation: OperationDefinitionNode, variables: Variables): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number.parseInt(node.value, 10);
  if (node.kind === Kind.VARIABLE) {
    const name = node.name.value;
    if (variables && name in variables) {
      const value = variables[name];
      // Not an integer: variable coercion refuses it before anything runs; count the worst.
      return typeof value === "number" && Number.isInteger(value) ? value : value == null ? undefined : PAGE_MAX;
    }
    const definition = operation.variableDefinitions?.find((v) => v.variable.name.value === name);
    if (definition?.defaultValue?.kind === Kind.INT) return Number.parseInt(definition.defaultValue.value, 10);
    return variables ? undefined : 1;
  }
  return undefined;
}

// How many items one call of a list (or connection) field may produce.
function listSize(
  parentType: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
  args: readonly { name: { value: string }; value: ValueNode }[] | undefined,
  operation: OperationDefinitionNode,
  variables: Variables,
): number {
  const firstArg = field.args.find((a) => a.name === "first");
  if (firstArg) {
    const given = intValue(args?.find((a) => a.name.value === "first")?.value, operation, variables);
    const fallback = typeof firstArg.defaultValue === "number" ? firstArg.defaultValue : PAGE_DEFAULT;
    // Out-of-range values are refused by the resolver with a clearer message than "too costly".
    return Math.max(1, Math.min(given ?? fallback, PAGE_MAX_BY_FIELD[`${parentType.name}.${field.name}`] ?? PAGE_MAX));
  }
  if (isList(field.type)) return LIST_SIZE_HINTS[`${parentType.name}.${field.name}`] ?? DEFAULT_LIST_SIZE;
  return 1;
}

class Measure {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly memo = new Map<string, Totals>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    fragments: readonly FragmentDefinitionNode[],
    // Fragments are shared between operations; their `$variable`s are looked up in the operation
    // being measured, so memoized totals are per operation.
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Variables,
  ) {
    for (const f of fragments) this.fragments.set(f.name.value, f);
  }

  // Totals for one evaluation of a selection set on `type`: depth below it, aliases and objects.
  selectionSet(selectionSet: SelectionSetNode | undefined, type: GraphQLCompositeType | undefined): Totals {
    if (!selectionSet) return NONE;
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let t: Totals;
      if (selection.kind === Kind.FIELD) {
        t = this.field(selection, type);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        t = this.selectionSet(selection.selectionSet, composite(condition));
      } else {
        t = this.fragment(selection.name.value);
      }
      depth = Math.max(depth, t.depth);
      aliases = add(aliases, t.aliases);
      cost = add(cost, t.cost);
    }
    return { depth, aliases, cost };
  }

  private field(node: FieldNode, parentType: GraphQLCompositeType | undefined): Totals {
    const aliased = node.alias ? 1 : 0;
    const name = node.name.value;
    if (name.startsWith("__")) return { depth: 1, aliases: aliased, cost: 0 };
    const field = withFields(parentType)?.getFields()[name];
    // Unknown fields are FieldsOnCorrectTypeRule's to report; count their nesting all the same.
    if (!field || !parentType) {
      const below = this.selectionSet(node.selectionSet, undefined);
      return { depth: 1 + below.depth, aliases: add(aliased, below.aliases), cost: add(1, below.cost) };
    }
    const named = composite(namedType(field.type));
    if (!named) return { depth: 1, aliases: aliased, cost: 0 };
    const items = listSize(parentType, field, node.arguments, this.operation, this.variables);
    const below = this.selectionSet(node.selectionSet, named);
    return {
      depth: 1 + below.depth,
      // Aliases measure the document's width; the items it repeats over are the cost's business.
      aliases: add(aliased, below.aliases),
      cost: add(items, mul(items, below.cost)),
    };
  }

  private fragment(name: string): Totals {
    const known = this.memo.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    // Unknown fragments and cycles are other rules' to report.
    if (!definition || this.inProgress.has(name)) return NONE;
    this.inProgress.add(name);
    const type = this.schema.getType(definition.typeCondition.name.value);
    const totals = this.selectionSet(definition.selectionSet, composite(type));
    this.inProgress.delete(name);
    this.memo.set(name, totals);
    return totals;
  }
}

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables?: Record<string, unknown>,
): Totals {
  const root =
    operation.operation === "query" ? schema.getQueryType() : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  return new Measure(schema, fragments, operation, variables).selectionSet(operation.selectionSet, root ?? undefined);
}

const named = (operation: OperationDefinitionNode) => (operation.name ? `Operation ${operation.name.value}` : "The operation");
const costMessage = (operation: OperationDefinitionNode, cost: number) =>
  `${named(operation)} could return about ${Math.round(cost)} objects; the limit is ${LIMITS.maxCost}. Ask for fewer items with \`first\` on nested lists.`;

// Depth, aliases, and the cost as a lower bound, for every operation of the document, measured
// when the document is entered; the rule visits nothing else.
export const queryLimitsRule: ValidationRule = (context: ValidationContext) => ({
  Document(document) {
    const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const operation of document.definitions) {
      if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
      const { depth, aliases, cost } = measureOperation(context.getSchema(), operation, fragments);
      const report = (message: string) => context.reportError(new GraphQLError(message, { nodes: [operation] }));
      if (depth > LIMITS.maxDepth) report(`${named(operation)} is nested ${depth} levels deep; the limit is ${LIMITS.maxDepth}.`);
      if (aliases > LIMITS.maxAliases) report(`${named(operation)} uses ${aliases} aliases; the limit is ${LIMITS.maxAliases}.`);
      if (cost > LIMITS.maxCost) report(costMessage(operation, cost));
    }
    return false;
  },
});

// The cost with this request's variables, once the operation is known and before it executes.
// Validation has already refused documents too costly for any variables; this refuses the ones
// whose `$first` values make them so. Answered like a validation error (HTTP 400).
export const queryCostPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, request, schema }) {
        if (!operation) return;
        const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
        const { cost } = measureOperation(schema, operation, fragments, request.variables ?? {});
        if (cost > LIMITS.maxCost) {
          throw new GraphQLError(costMessage(operation, cost), {
            nodes: [operation],
            extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
          });
        }
      },
    };
  },
};
