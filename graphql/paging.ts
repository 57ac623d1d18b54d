import { AppError } from "@/lib/errors";
import { PAGE_MAX as SECRETS_PAGE_MAX } from "@/lib/secrets/list-secrets";

// Page sizes of every list field: lib/secrets and lib/audit use the same numbers for theirs.
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
// A project's secrets page by up to lib/secrets' own PAGE_MAX (1,000).
export { SECRETS_PAGE_MAX };

// `first`/`after` of a nested list, checked once for every list field: `first` defaults to
// PAGE_DEFAULT and may not exceed PAGE_MAX, so no field can be asked for an unbounded list.
export function page<A>(args: { first?: number | null; after?: A | null }): { first: number; after: A | null } {
  const first = args.first ?? PAGE_DEFAULT;
  if (!Number.isInteger(first) || first < 1 || first > PAGE_MAX) {
    throw new AppError("BAD_USER_INPUT", `first must be between 1 and ${PAGE_MAX}`, { field: "first" });
  }
  if (typeof args.after === "string" && args.after.length > 1024) throw new AppError("BAD_USER_INPUT", "Invalid cursor", { field: "after" });
  return { first, after: args.after ?? null };
}
