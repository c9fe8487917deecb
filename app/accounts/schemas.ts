import { z } from "zod";
import { optionalText } from "~/lib/validation";
import { isValidCreditCode } from "./credit-code";
import { PASSWORD_MAX_LENGTH, passwordProblem } from "./password";

/** Messages are i18n keys; keys of the accounts namespace carry their "accounts:" prefix. */

export const emailField = z.string().trim().toLowerCase().min(1).max(254).email();

/** Length and character rules; "not the email" needs both fields and is checked on the object. */
const newPassword = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

const creditCode = optionalText(40)
  .transform((v) => v?.replace(/[\s-]/g, "").toUpperCase())
  .refine((v) => v === undefined || isValidCreditCode(v), "accounts:validation.creditCode");

function passwordNotEmail(v: { email: string; password: string }, ctx: z.RefinementCtx) {
  const problem = passwordProblem(v.password, v.email);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["password"], message: problem });
}

const displayName = z.string().trim().min(1).max(60);

export const signUpSchema = z
  .object({
    email: emailField,
    password: newPassword,
    displayName,
    organizationName: optionalText(120),
    creditCode,
  })
  .superRefine((v, ctx) => {
    passwordNotEmail(v, ctx);
    // A company is registered with both its name and its code, or not at all.
    if (v.organizationName && !v.creditCode) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["creditCode"], message: "accounts:validation.creditCodeRequired" });
    }
    if (v.creditCode && !v.organizationName) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["organizationName"],
        message: "accounts:validation.organizationNameRequired",
      });
    }
  });
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const forgotPasswordSchema = z.object({ email: emailField });

/** Emailed tokens are 32 random bytes in base64url; anything else is refused before a query. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const tokenField = z.string().regex(TOKEN_PATTERN, "accounts:link.invalid");

export const resetPasswordSchema = z.object({ token: tokenField, password: newPassword });
export type ResetPasswordInput = z.infer<typeof resetPasswordSchema>;

/** The account page's forms: the name; the password, and the email address, each with the current password. */
export const profileSchema = z.object({ displayName });
export const changePasswordSchema = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), password: newPassword });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
export const changeEmailSchema = z.object({ email: emailField, currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export type ChangeEmailInput = z.infer<typeof changeEmailSchema>;
/** A company registered from the account page: both its name and its code, as at sign-up. */
export const companySchema = z.object({
  organizationName: z.string().trim().min(1).max(120),
  creditCode: creditCode.refine((v): v is string => v !== undefined, "validation.required"),
});
export type CompanyInput = { organizationName: string; creditCode: string };

/** Only a path on this site: "//host" and "/\host" would leave it. */
export function safeRedirect(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || !/^\/(?![/\\])[^\s\\]*$/.test(value)) return fallback;
  return value;
}
