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

// The message for a name that is not valid; null when it is.
export function nameProblem(name: string): string | null {
  if (name.trim() === "") return "Secret key is required";
  if (name.length > NAME_MAX) return `Secret key must be at most ${NAME_MAX} characters`;
  if (NAME_PATTERN.test(name)) return null;
  // Suggest only for name-sized input: a long string in the name field may be a pasted value.
  const suggestion = name.length <= 40 ? suggestName(name) : "";
  const hint = suggestion && NAME_PATTERN.test(suggestion) ? ` Did you mean ${suggestion}?` : "";
  return `Secret key must use uppercase letters, digits and underscores, and not start with a digit (^[A-Z_][A-Z0-9_]*$).${hint}`;
}
