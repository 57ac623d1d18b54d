// Audit events as people read them: a label for the action and the details as key–value pairs,
// never raw JSON. Pure (details hold names, ids, versions and counts, never a value).
export const ACTION_LABEL: Record<string, string> = {
  "secret.create": "Created secret",
  "secret.update": "Updated secret",
  "secret.delete": "Deleted secret",
  "secret.clone": "Cloned secret in",
  "secrets.clone_out": "Cloned secrets out",
  "secret.attach": "Attached secret",
  "secret.detach": "Detached secret",
  "consumer.create": "Created consumer",
  "consumer.update": "Updated consumer",
  "consumer.delete": "Deleted consumer",
  "environment.resolve": "Resolved environment",
  "member.add": "Added member",
  "member.role": "Changed member role",
  "member.remove": "Removed member",
  "token.create": "Created API token",
  "token.revoke": "Revoked API token",
  "project.create": "Created project",
  "project.env_allowlist": "Set server variables allowed",
  "user.create": "Created user",
};

export const actionLabel = (action: string) => ACTION_LABEL[action] ?? action;

const words = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();

function text(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map(text).join(", ") : "none";
  if (typeof value === "object") return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${words(k)} ${text(v)}`).join("; ");
  return String(value);
}

export const detailPairs = (details: Record<string, unknown>): [string, string][] => Object.entries(details ?? {}).map(([k, v]) => [words(k), text(v)]);
