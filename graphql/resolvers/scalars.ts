import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";

export const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString()),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (typeof v !== "string" || Number.isNaN(d.getTime())) throw new GraphQLError("DateTime must be an ISO-8601 string");
    return d;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) {
      throw new GraphQLError("DateTime must be an ISO-8601 string");
    }
    return new Date(ast.value);
  },
});

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    default:
      throw new GraphQLError("JSONObject does not accept variables inside literals");
  }
}

const asObject = (v: unknown) => {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new GraphQLError("JSONObject must be a JSON object");
  return v as Record<string, unknown>;
};

export const JSONObject = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: "JSONObject",
  serialize: asObject,
  parseValue: asObject,
  parseLiteral: (ast) => asObject(literalToJson(ast)),
});
