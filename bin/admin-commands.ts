// CLI commands that go through the services, as the local operator.
import { readFileSync } from "node:fs";
import pg from "pg";
import { OPERATOR } from "../lib/auth/actor";
import { KeyRing } from "../lib/crypto/envelope";
import { keyFile, newKey, writeKeyFile } from "../lib/local-keys";
import { createProject } from "../lib/projects/create-project";
import { addMember } from "../lib/projects/members";
import { setEnvAllowlist } from "../lib/projects/set-env-allowlist";
import { reconcileSsm } from "../lib/storage/reconcile-ssm";
import { dataKeyUsage, rewrapDataKeys, verifyDatabaseValues } from "../lib/storage/rewrap";
import { createApiToken } from "../lib/tokens/api-tokens";
import { createUser } from "../lib/users/create-user";

type Values = Record<string, string | boolean | string[] | undefined>;
const str = (v: Values[string]) => (typeof v === "string" ? v : undefined);

export interface CliContext {
  out: (line: string) => void;
  dataDir: string;
  // SECRETS_ENCRYPTION_KEY came from the environment rather than the data dir's key file.
  keysFromEnv: boolean;
}

// One rotation at a time across every vault instance and operator: a PostgreSQL advisory lock held
// by a dedicated connection for the whole run (released when it ends or the process dies).
async function withRotationLock(run: () => Promise<void>) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('vault.keys.rotate')) AS locked");
    if (!rows[0].locked) throw Object.assign(new Error("another keys rotate is running against this database; wait for it to finish"), { code: "CONFLICT" });
    await run();
  } finally {
    await client.end();
  }
}

async function rotateKeys(ctx: CliContext, batch: string | undefined) {
  const batchSize = batch === undefined ? 200 : Number(batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw Object.assign(new Error("--batch takes a whole number from 1 to 10000"), { code: "BAD_USER_INPUT" });
  }
  let ring = new KeyRing(process.env.SECRETS_ENCRYPTION_KEY!.split(",").map((k) => k.trim()));
  const usage = await dataKeyUsage();
  const pending = usage.filter((u) => u.keyId !== ring.active.id).reduce((n, u) => n + u.dataKeys, 0);
  if (pending === 0) {
    if (ctx.keysFromEnv) {
      ctx.out(`Every data key is wrapped by the active master key ${ring.active.id}.`);
      ctx.out("To rotate: generate a key (openssl rand -base64 32), put it first in SECRETS_ENCRYPTION_KEY,");
      ctx.out("keep the old key after it, restart the vault, and run `keys rotate` again.");
      return;
    }
    // Keys kept in the data dir: add the new master key in front of the old ones.
    const file = keyFile(ctx.dataDir, "SECRETS_ENCRYPTION_KEY");
    const keys = [newKey(), ...readFileSync(file, "utf8").trim().split(",")];
    writeKeyFile(file, keys.join(","));
    ring = new KeyRing(keys);
    ctx.out(`added master key ${ring.active.id} to ${file}; restart the vault so new values use it`);
  } else {
    ctx.out(`resuming: ${pending} data keys are not yet under the active master key ${ring.active.id}`);
  }
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const result = await rewrapDataKeys(ring, {
    batchSize,
    signal: controller.signal,
    onProgress: (p) =>
      ctx.out(`re-wrapped ${p.done}/${p.total} data keys (${Math.round(p.perSecond)}/s, ~${Math.ceil(p.secondsLeft)}s left)`),
  });
  if (result.interrupted) {
    ctx.out(`interrupted with ${result.remaining} data keys left: old keys keep decrypting; run \`keys rotate\` again to finish`);
    return;
  }
  ctx.out(`done: every data key is wrapped by ${ring.active.id}.`);
  const old = ring.keys.slice(1).map((k) => k.id);
  if (old.length) ctx.out(`older master keys (${old.join(", ")}) still decrypt; remove them once every vault server has restarted on the new key.`);
}

export async function runAdminCommand(key: string, values: Values, ctx: CliContext) {
  const { out } = ctx;
  switch (key) {
    case "user create": {
      const user = await createUser({
        email: str(values.email) ?? "",
        password: str(values.password) ?? "",
        name: str(values.name),
        admin: values.admin === true,
      });
      out(`created user ${user.email}${user.isAdmin ? " (admin)" : ""}; personal project: ${user.personalProjectSlug}`);
      return;
    }
    case "project create": {
      const project = await createProject(OPERATOR, { slug: str(values.slug) ?? "", name: str(values.name) ?? "", ownerEmail: str(values.owner) ?? null });
      out(`created project ${project.slug} (${project.name})`);
      return;
    }
    case "project env-allow": {
      const allow = (values.allow as string[] | undefined) ?? [];
      if (!allow.length && values.clear !== true) throw Object.assign(new Error("name variables with --allow NAME (or PREFIX_*), or --clear"), { code: "BAD_USER_INPUT" });
      const project = await setEnvAllowlist(OPERATOR, { projectSlug: str(values.project) ?? "", entries: values.clear === true ? [] : allow });
      out(project.envAllowlist.length ? `${project.slug} may use: ${project.envAllowlist.join(", ")}` : `${project.slug} may use no server environment variables (ENV storage off)`);
      return;
    }
    case "member add": {
      const m = await addMember(OPERATOR, { projectSlug: str(values.project) ?? "", email: str(values.email) ?? "", role: str(values.role) ?? "" });
      out(`${m.user.email} is now ${m.role.toLowerCase()} of ${str(values.project)}`);
      return;
    }
    case "token create": {
      const expires = str(values.expires);
      const { token, apiToken } = await createApiToken(OPERATOR, {
        projectSlug: str(values.project) ?? "",
        name: str(values.name) ?? "",
        scopes: (values.scope as string[] | undefined) ?? [],
        expiresAt: expires ? new Date(expires) : null,
      });
      out(`created token ${apiToken.name} with ${apiToken.scopes.join(", ")}; it is shown once:`);
      out(token);
      return;
    }
    case "keys rotate":
      return withRotationLock(() => rotateKeys(ctx, str(values.batch)));
    case "keys status": {
      const ring = new KeyRing(process.env.SECRETS_ENCRYPTION_KEY!.split(",").map((k) => k.trim()));
      const usage = new Map((await dataKeyUsage()).map((u) => [u.keyId, u.dataKeys]));
      ring.keys.forEach((k, i) => out(`${k.id}${i === 0 ? " (active)" : ""}: ${usage.get(k.id) ?? 0} data keys`));
      for (const [id, n] of usage) if (!ring.keys.some((k) => k.id === id)) out(`${id} (NOT IN KEY RING): ${n} data keys cannot be decrypted`);
      return;
    }
    case "keys verify": {
      const ring = new KeyRing(process.env.SECRETS_ENCRYPTION_KEY!.split(",").map((k) => k.trim()));
      const { checked, failed } = await verifyDatabaseValues(ring);
      if (failed.length) {
        const listed = failed.slice(0, 20).join(", ") + (failed.length > 20 ? `, and ${failed.length - 20} more` : "");
        throw Object.assign(new Error(`${failed.length} of ${checked} stored values do not decrypt with SECRETS_ENCRYPTION_KEY: ${listed}`), { code: "UNAVAILABLE" });
      }
      out(`checked ${checked} stored values (every version): every one decrypts with the key ring`);
      return;
    }
    case "ssm reconcile": {
      const { removed, kept } = await reconcileSsm({ dryRun: values["dry-run"] === true });
      for (const name of removed) out(`${values["dry-run"] ? "would remove" : "removed"} orphan parameter ${name}`);
      for (const name of kept) out(`kept ${name}: a secret refers to it again`);
      out(`${removed.length} orphan parameter(s) ${values["dry-run"] ? "found" : "removed"}`);
      return;
    }
    default:
      throw Object.assign(new Error(`unknown command "${key}" (npm run vault -- --help)`), { code: "BAD_USER_INPUT" });
  }
}
