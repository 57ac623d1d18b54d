// The largest request body an API route reads (GraphQL and REST). Requests are small; bodies carry
// secret values of at most 64 KiB each.
export const MAX_BODY_BYTES = 1024 * 1024;

export const TOO_LARGE = Symbol("too large");

// The body as text, or TOO_LARGE without reading more than MAX_BODY_BYTES (+ one chunk) of it: a
// body over the limit is refused from its Content-Length, or as soon as the bytes read pass it.
export async function readBody(request: Request): Promise<string | typeof TOO_LARGE> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) return TOO_LARGE;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export const isJsonContentType = (contentType: string | null) => /^application\/(graphql-response\+)?json\s*(;|$)/i.test(contentType?.trim() ?? "");
