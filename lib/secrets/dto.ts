import "server-only";
import type { Prisma } from "../db/generated/client";

// What the use cases need to act on a secret (never a value or ciphertext).
export const secretCoreSelect = {
  id: true,
  projectId: true,
  name: true,
  description: true,
  type: true,
  metadata: true,
  storage: true,
  referencePath: true,
  currentVersion: true,
} satisfies Prisma.SecretSelect;

// The whitelist of what a secret may show: no value, no ciphertext, ever.
export const secretSelect = {
  ...secretCoreSelect,
  hint: true,
  createdAt: true,
  updatedAt: true,
  createdBy: { select: { id: true, email: true } },
  updatedBy: { select: { id: true, email: true } },
} satisfies Prisma.SecretSelect;

export type SecretRow = Prisma.SecretGetPayload<{ select: typeof secretSelect }>;

export interface SecretDto {
  id: string;
  projectId: string;
  name: string;
  description: string;
  type: string;
  metadata: Record<string, unknown>;
  storage: "DATABASE" | "SSM" | "ENV";
  referencePath: string | null;
  hint: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: { id: string; email: string } | null;
  updatedBy: { id: string; email: string } | null;
}

export function toSecretDto(row: SecretRow): SecretDto {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    description: row.description,
    type: row.type,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    storage: row.storage,
    referencePath: row.referencePath,
    hint: row.hint,
    version: row.currentVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
  };
}
