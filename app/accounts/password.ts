/** Password rules, shared by sign-up and reset. Each problem is an i18n key shown at the field. */
export const PASSWORD_MIN_LENGTH = 10;
/** Argon2 hashes any length, but an unbounded input is a cheap way to burn server CPU. */
export const PASSWORD_MAX_LENGTH = 200;

export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return "accounts:validation.passwordTooShort";
  if (password.length > PASSWORD_MAX_LENGTH) return "accounts:validation.passwordTooLong";
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return "accounts:validation.passwordLettersDigits";
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return "accounts:validation.passwordIsEmail";
  }
  return null;
}
