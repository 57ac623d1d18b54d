import "server-only";
import { db } from "../db/client";
import { deleteParameter, listParameters } from "./ssm";

// Removes SSM parameters no secret refers to: those recorded as orphans when an undo failed, and
// any other parameter under the prefix without a row (a process that died between writing the
// parameter and committing), once it is older than `graceMs` so an in-flight create is left alone.
export async function reconcileSsm(opts: { graceMs?: number; dryRun?: boolean } = {}) {
  const grace = opts.graceMs ?? 10 * 60_000;
  const referenced = new Set(
    (await db().secret.findMany({ where: { storage: "SSM" }, select: { referencePath: true } })).map((s) => s.referencePath),
  );
  const recorded = await db().ssmOrphan.findMany();
  const unrecorded = (await listParameters()).filter(
    (p) => !referenced.has(p.name) && Date.now() - p.modified.getTime() > grace && !recorded.some((o) => o.parameterName === p.name),
  );
  const removed: string[] = [];
  const kept: string[] = [];
  for (const name of [...recorded.map((o) => o.parameterName), ...unrecorded.map((p) => p.name)]) {
    if (referenced.has(name)) {
      kept.push(name); // re-used by a secret created since: not an orphan any more
    } else {
      if (!opts.dryRun) await deleteParameter(name);
      removed.push(name);
    }
  }
  if (!opts.dryRun) await db().ssmOrphan.deleteMany({ where: { id: { in: recorded.map((o) => o.id) } } });
  return { removed, kept };
}
