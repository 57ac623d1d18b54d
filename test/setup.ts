import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.SECRETS_ENCRYPTION_KEY = inject("encryptionKey");
process.env.NEXTAUTH_SECRET = inject("nextauthSecret");
process.env.VAULT_DB_POOL_MAX = "2";
(process.env as Record<string, string>).NODE_ENV = "test";
process.env.LOG_LEVEL = "warn";
// Production hashes use scrypt N=2^17 (~250 ms each here), which doubles the suite's time: tests hash
// with N=2^14 unless they opt back in (lib/auth/password.test.ts proves the production parameters).
process.env.VAULT_TEST_SCRYPT_N ??= "16384";

// SSM through moto (test/global-setup.ts); the credentials are moto's placeholders.
Object.assign(process.env, {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_ENDPOINT_URL_SSM: inject("ssmEndpoint") || "http://127.0.0.1:9",
  VAULT_SSM_KMS_KEY_ID: "alias/vault-test",
  VAULT_SSM_DEADLINE_MS: "3000",
  AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: "1",
});
