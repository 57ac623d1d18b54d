// What the login page may show after a refused sign-in. Pure: used by the server (authorize) and
// by the login form. Nothing here ever includes what the person typed.

export const INCORRECT_CREDENTIALS = "Email or password is incorrect";
export const SIGN_IN_UNAVAILABLE = "Sign-in is unavailable right now. Try again in a moment.";

export const tooManyAttempts = (retryAfterSeconds: number) =>
  `Too many sign-in attempts. Try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} s.`;

const TOO_MANY = /^Too many sign-in attempts\. Try again in \d{1,6} s\.$/;

// next-auth hands back the message an authorize() error carried (result.error). Only our own
// rate-limit message is shown as is; anything else maps to a fixed text.
export function signInErrorMessage(error: string | null | undefined): string {
  if (!error || error === "CredentialsSignin") return INCORRECT_CREDENTIALS;
  if (TOO_MANY.test(error)) return error;
  return SIGN_IN_UNAVAILABLE;
}
