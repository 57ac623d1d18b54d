// Runs once when the Next server boots: a bad configuration stops it before it serves anything.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertBootableEnv } = await import("./lib/env-check");
    assertBootableEnv();
  }
}
