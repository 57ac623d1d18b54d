// Secret names are environment variable names: ^[A-Z_][A-Z0-9_]*$, at most 256 characters.
export const NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;
export const NAME_MAX = 256;

// The valid form a person most likely meant: `stripe-key` → `STRIPE_KEY`, `2fa.code` → `_2FA_CODE`.
export function suggestName(input: string): string {
  let s = input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/_+$/, "");
  if (s === "") return "";
  if (/^[0-9]/.test(s)) s = `_${s}`;
  return s.slice(0, NAME_MAX);
}

// Short, made of short words, few digits, no word mixing letters with several digits: `stripe-key`, `2fa.code`,
// `openaiApiKey`; not `ghp_…`, `sk-proj-…` or a random string.
export function looksLikeName(input: string): boolean {
  if (input.length > 32 || (input.match(/\p{N}/gu)?.length ?? 0) > 4) return false;
  const words = input.replace(/([a-z])([A-Z])/g, "$1 $2").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words.length > 0 && words.every((w) => w.length <= 12 && !(/\p{L}/u.test(w) && /\p{N}.*\p{N}/u.test(w)));
}

// The message for a name that is not valid; null when it is.
export function nameProblem(name: string): string | null {
  if (name.trim() === "") return "Secret key is required";
  if (name.length > NAME_MAX) return `Secret key must be at most ${NAME_MAX} characters`;
  if (NAME_PATTERN.test(name)) return null;
  // Suggest only for input that looks like a name: a credential pasted into the name field must not
  // come back (upper-cased) in the error.
  const suggestion = looksLikeName(name) ? suggestName(name) : "";
  const hint = suggestion && NAME_PATTERN.test(suggestion) ? ` Did you mean ${suggestion}?` : "";
  return `Secret key must use uppercase letters, digits and underscores, and not start with a digit (^[A-Z_][A-Z0-9_]*$).${hint}`;
}
