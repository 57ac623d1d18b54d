import "server-only";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

// What a server action answers a form: never a value, only what to show.
export type ActionResult<T = undefined> =
  | { ok: true; data?: T; message?: string }
  | { ok: false; error: string; field?: string; code?: string; details?: Record<string, unknown> };

// Runs a service call for a form; AppErrors become inline messages, anything else a generic one.
export async function attempt<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    if (error instanceof AppError) {
      const { field, ...details } = error.details ?? {};
      return { ok: false, error: error.message, code: error.code, field: typeof field === "string" ? field : undefined, details };
    }
    log.error("action.internal_error", { errorName: (error as Error)?.name });
    return { ok: false, error: "Something went wrong; nothing was changed. Try again." };
  }
}
