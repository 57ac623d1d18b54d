// Structured JSON logs. A redaction layer drops every field whose name looks like it could carry a
// value, token, password or key, at any depth, before a line is written.

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SENSITIVE = /value|token|password|passwd|secret|key|authorization|cookie|hint|ciphertext|plaintext|credential/i;
// Identifiers that merely mention a sensitive word are safe to log.
const SAFE = /^(secretId|secretName|keyId|tokenId|projectId)$/;
export const REDACTED = "[redacted]";

export function redact(input: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (Array.isArray(input)) return input.map((v) => redact(v, depth + 1));
  if (input instanceof Error) return { name: input.name, message: input.message };
  if (input && typeof input === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) out[k] = SENSITIVE.test(k) && !SAFE.test(k) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return input;
}

let threshold: Level = (process.env.LOG_LEVEL as Level) in ORDER ? (process.env.LOG_LEVEL as Level) : "info";
let sink: (line: string) => void = (line) => process.stderr.write(line + "\n");

export function setLogSink(next: (line: string) => void, level: Level = threshold) {
  const previous = sink;
  sink = next;
  threshold = level;
  return () => {
    sink = previous;
  };
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  if (ORDER[level] < ORDER[threshold]) return;
  const body = redact(fields) as Record<string, unknown>;
  sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...body }));
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
