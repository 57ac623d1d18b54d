import { EnvError, parseEnv } from "./env";

export function assertBootableEnv() {
  try {
    parseEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
