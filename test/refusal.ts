import { AppError } from "../lib/errors";

// What a service call answered: "OK", or the AppError's code, message and details. Anything that is
// not an AppError is a bug and fails the test as it is.
export const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ code: "OK", message: "", details: undefined as Record<string, unknown> | undefined }),
    (e) => {
      if (e instanceof AppError) return { code: e.code as string, message: e.message, details: e.details };
      throw e;
    },
  );
