import "server-only";
import { DecryptionError, open, rewrap, secretBinding, type KeyRing } from "../crypto/envelope";
import { db } from "../db/client";

export interface RewrapProgress {
  done: number;
  total: number;
  perSecond: number;
  secondsLeft: number;
}

// How many stored data keys each master key wraps.
export async function dataKeyUsage() {
  const groups = await db().secretVersion.groupBy({ by: ["keyId"], where: { keyId: { not: null } }, _count: { _all: true } });
  return groups.map((g) => ({ keyId: g.keyId!, dataKeys: g._count._all }));
}

// Re-wraps every data key not under the ring's active master key, in batches, each batch its own
// transaction. Value ciphertexts are untouched. Safe to interrupt (signal) and to run again: a row
// is only rewritten if it still carries the key it was read with.
export async function rewrapDataKeys(
  ring: KeyRing,
  opts: {
    batchSize?: number;
    signal?: AbortSignal;
    onProgress?: (p: RewrapProgress) => void;
    // Limits the re-wrap to one project's secrets.
    projectId?: string;
  } = {},
) {
  const active = ring.active.id;
  const pending = {
    keyId: { not: active },
    wrappedKey: { not: null },
    ...(opts.projectId ? { secret: { projectId: opts.projectId } } : {}),
  };
  const total = await db().secretVersion.count({ where: pending });
  const started = Date.now();
  let done = 0;
  while (!opts.signal?.aborted) {
    const batch = await db().secretVersion.findMany({
      where: pending,
      take: opts.batchSize ?? 200,
      orderBy: { id: "asc" },
      select: { id: true, version: true, keyId: true, wrappedKey: true, secret: { select: { id: true, projectId: true } } },
    });
    if (batch.length === 0) break;
    await db().$transaction(async (tx) => {
      for (const row of batch) {
        const next = rewrap(ring, secretBinding(row.secret.projectId, row.secret.id, row.version), {
          wrappedKey: Buffer.from(row.wrappedKey!),
          keyId: row.keyId!,
        });
        await tx.secretVersion.updateMany({
          where: { id: row.id, keyId: row.keyId },
          data: { wrappedKey: new Uint8Array(next.wrappedKey), keyId: next.keyId },
        });
      }
    });
    done += batch.length;
    const perSecond = done / Math.max((Date.now() - started) / 1000, 0.001);
    opts.onProgress?.({ done, total: Math.max(total, done), perSecond, secondsLeft: Math.max(total - done, 0) / perSecond });
  }
  const remaining = await db().secretVersion.count({ where: pending });
  return { done, total, remaining, interrupted: remaining > 0 };
}

// Opens every value stored in the database (every version) with the ring, batch by batch, and
// names the versions that do not decrypt. For operators after a rotation, a restore or a crash;
// each plaintext is zeroed as soon as it has been opened and is never returned.
export async function verifyDatabaseValues(ring: KeyRing, opts: { batchSize?: number } = {}) {
  let checked = 0;
  const failed: string[] = [];
  let after: string | undefined;
  for (;;) {
    const batch = await db().secretVersion.findMany({
      where: { ciphertext: { not: null }, ...(after ? { id: { gt: after } } : {}) },
      take: opts.batchSize ?? 500,
      orderBy: { id: "asc" },
      select: {
        id: true,
        version: true,
        ciphertext: true,
        wrappedKey: true,
        keyId: true,
        secret: { select: { id: true, name: true, projectId: true, project: { select: { slug: true } } } },
      },
    });
    if (batch.length === 0) break;
    for (const row of batch) {
      checked += 1;
      try {
        if (!row.wrappedKey || !row.keyId) throw new DecryptionError("no wrapped data key");
        const sealed = { ciphertext: Buffer.from(row.ciphertext!), wrappedKey: Buffer.from(row.wrappedKey), keyId: row.keyId };
        open(ring, secretBinding(row.secret.projectId, row.secret.id, row.version), sealed).fill(0);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        failed.push(`${row.secret.project.slug}/${row.secret.name} v${row.version}`);
      }
    }
    after = batch[batch.length - 1].id;
  }
  return { checked, failed };
}
