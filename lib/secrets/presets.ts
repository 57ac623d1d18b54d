// Provider presets: canonical names, a type, and the value's known format where one exists.
// Formats are checked on create; messages describe the expected shape, never the value given.
import type { Actor } from "../auth/actor";
import { unauthenticated } from "../errors";

export interface SecretPreset {
  id: string;
  provider: string;
  name: string;
  type: string;
  description: string;
  format?: { pattern: RegExp; expected: string };
}

export const SECRET_PRESETS: readonly SecretPreset[] = [
  { id: "openai", provider: "OpenAI", name: "OPENAI_API_KEY", type: "API key", description: "OpenAI API key",
    format: { pattern: /^sk-[A-Za-z0-9_-]{20,}$/, expected: "starts with sk- followed by at least 20 letters, digits, - or _" } },
  { id: "anthropic", provider: "Anthropic", name: "ANTHROPIC_API_KEY", type: "API key", description: "Anthropic API key",
    format: { pattern: /^sk-ant-[A-Za-z0-9_-]{20,}$/, expected: "starts with sk-ant-" } },
  { id: "github", provider: "GitHub", name: "GITHUB_TOKEN", type: "Access token", description: "GitHub personal access or app token",
    format: { pattern: /^(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})$/, expected: "starts with ghp_, gho_, ghu_, ghs_, ghr_ or github_pat_" } },
  { id: "aws-access-key-id", provider: "AWS", name: "AWS_ACCESS_KEY_ID", type: "Access key ID", description: "AWS access key ID",
    format: { pattern: /^(AKIA|ASIA)[A-Z0-9]{16}$/, expected: "20 characters starting with AKIA or ASIA" } },
  { id: "aws-secret-access-key", provider: "AWS", name: "AWS_SECRET_ACCESS_KEY", type: "Secret access key", description: "AWS secret access key",
    format: { pattern: /^[A-Za-z0-9/+=]{40}$/, expected: "40 characters of letters, digits, /, + or =" } },
  { id: "stripe", provider: "Stripe", name: "STRIPE_SECRET_KEY", type: "API key", description: "Stripe secret or restricted key",
    format: { pattern: /^(sk|rk)_(live|test)_[A-Za-z0-9]{10,}$/, expected: "starts with sk_live_, sk_test_, rk_live_ or rk_test_" } },
  { id: "slack", provider: "Slack", name: "SLACK_BOT_TOKEN", type: "Bot token", description: "Slack bot token",
    format: { pattern: /^xox[abposr]-[A-Za-z0-9-]{10,}$/, expected: "starts with xoxb- (or another xox?- prefix)" } },
  { id: "google", provider: "Google", name: "GOOGLE_API_KEY", type: "API key", description: "Google Cloud API key",
    format: { pattern: /^AIza[0-9A-Za-z_-]{35}$/, expected: "39 characters starting with AIza" } },
  { id: "gitlab", provider: "GitLab", name: "GITLAB_TOKEN", type: "Access token", description: "GitLab personal access token",
    format: { pattern: /^glpat-[A-Za-z0-9_-]{20,}$/, expected: "starts with glpat-" } },
  { id: "sendgrid", provider: "SendGrid", name: "SENDGRID_API_KEY", type: "API key", description: "SendGrid API key",
    format: { pattern: /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}$/, expected: "starts with SG. and has three dot-separated parts" } },
  { id: "database-url", provider: "PostgreSQL", name: "DATABASE_URL", type: "Connection string", description: "Database connection string",
    format: { pattern: /^postgres(ql)?:\/\/\S+$/, expected: "a postgres:// or postgresql:// URL" } },
];

export const findPreset = (id: string) => SECRET_PRESETS.find((p) => p.id === id);

// The presets as API clients see them: for signed-in callers only, like everything else the vault
// says about itself.
export function listSecretPresets(actor: Actor | null) {
  if (!actor) throw unauthenticated();
  return SECRET_PRESETS.map((p) => ({ id: p.id, provider: p.provider, name: p.name, type: p.type, description: p.description, format: p.format?.expected ?? null }));
}
