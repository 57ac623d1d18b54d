import Ajv2020 from "ajv/dist/2020.js";

// Checks real responses against the vault's OpenAPI document (GET /api/v1/openapi.json): each body
// must match the schema documented for its path, method and status, and every documented
// operation must have been seen answering at least once.
type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: { "application/json"?: { schema: { $ref: string } } } }> }>>;
  components: { schemas: Record<string, object> };
};

export function openApiContract(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const seen = new Set<string>();
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const schemaFor = (ref: string) => {
    const name = ref.replace("#/components/schemas/", "");
    if (!validators.has(name)) validators.set(name, ajv.compile(doc.components.schemas[name]));
    return validators.get(name)!;
  };
  return {
    // method "GET", path the documented template ("/api/v1/user/secrets/{secret_id}").
    check(method: string, path: string, status: number, body: unknown) {
      const operation = doc.paths[path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`${method} ${path} is not documented`);
      const response = operation.responses[String(status)];
      if (!response) throw new Error(`${method} ${path} answered ${status}, which is not documented`);
      const ref = response.content?.["application/json"]?.schema.$ref;
      if (!ref) throw new Error(`${method} ${path} ${status} documents no JSON body`);
      const validate = schemaFor(ref);
      if (!validate(body)) throw new Error(`${method} ${path} ${status} does not match ${ref}: ${ajv.errorsText(validate.errors)}`);
      seen.add(`${method.toUpperCase()} ${path}`);
    },
    unseen: () => operations.filter((o) => !seen.has(o)),
  };
}
