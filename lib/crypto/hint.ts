// The masked hint shown instead of a value: computed once at write time, stored, never recomputed.
// First 4 and last 4 characters around a fixed mask when the value has at least 16 characters;
// otherwise the mask alone. The mask never varies, so a hint does not reveal the length.
export const HINT_MASK = "••••••••";
const MIN_LENGTH_FOR_EDGES = 16;
const EDGE = 4;
// Control, format, surrogate, unassigned and private-use code points, and line/paragraph separators.
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

export function computeHint(value: string): string {
  const chars = Array.from(value);
  if (chars.length < MIN_LENGTH_FOR_EDGES) return HINT_MASK;
  const show = (c: string) => (UNPRINTABLE.test(c) ? "•" : c);
  const head = chars.slice(0, EDGE).map(show).join("");
  const tail = chars.slice(-EDGE).map(show).join("");
  return `${head}${HINT_MASK}${tail}`;
}

// An ENV secret's value is a server environment variable: its edges would leak part of it to every
// reader of the project, so it shows the mask alone.
export function hintFor(storage: "DATABASE" | "SSM" | "ENV", value: Buffer): string {
  return storage === "ENV" ? HINT_MASK : computeHint(value.toString("utf8"));
}
