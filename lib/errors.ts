// One error class for everything a service refuses; the edge maps codes to GraphQL/HTTP.
export const ERROR_CODES = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    // Safe-to-show structured detail (names, ids, counts). Never a value.
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (permission: string) =>
  new AppError("FORBIDDEN", `You do not have the ${permission} permission on this project`);
export const unauthenticated = () => new AppError("UNAUTHENTICATED", "Sign in or send a valid API token");
