// Types and labels shared by the secrets table, the secret's page and their dialogs (no server
// code), so the dialogs do not import from the table that imports them.
export type StorageKind = "DATABASE" | "SSM" | "ENV";

export interface SecretRowView {
  id: string;
  name: string;
  description: string;
  type: string;
  metadata: Record<string, string>;
  storage: StorageKind;
  referencePath: string | null;
  hint: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
}

export type Location = { storage: StorageKind; default: boolean };
export type Target = { slug: string; name: string };
export type Preset = { id: string; label: string; name: string };

export const STORAGE_LABEL = { DATABASE: "Database (encrypted)", SSM: "AWS SSM", ENV: "Server env" } as const;

// Metadata is shown and edited as text key–value pairs; other JSON values are shown as JSON.
export const metadataText = (metadata: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
