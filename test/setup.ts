import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SECRETS_ENCRYPTION_KEY = inject("encryptionKey");
process.env.NEXTAUTH_SECRET = inject("nextauthSecret");
process.env.VAULT_DB_POOL_MAX = "2";
(process.env as Record<string, string>).NODE_ENV = "test";
process.env.LOG_LEVEL = "warn";
