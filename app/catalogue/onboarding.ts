import { z } from "zod";
import { isValidCreditCode } from "~/accounts/credit-code";
import { emailField } from "~/accounts/schemas";
import { pdfProblem, type PdfProblem } from "~/lib/pdf";
import { optionalText } from "~/lib/validation";
import {
  providerApplicationTypes,
  type ApplicationStatus,
  type OrganizationType,
  type ProviderApplicationType,
} from "../../db/schema/vocabulary";
import { provinces } from "./regions";

/** Provider onboarding rules without I/O: the application form, its decision, labs and invitations. */

/** The organisation type an accepted applicant becomes; an enterprise lab is an enterprise that provides instruments. */
export const organizationTypeOf: Record<ProviderApplicationType, OrganizationType> = {
  university: "university",
  institute: "institute",
  national_centre: "national_centre",
  enterprise_lab: "enterprise",
};

export const LETTER_MAX_BYTES = 10 * 1024 * 1024;

/** The letter field's message (an i18n key) for what is wrong with the uploaded PDF. */
export const letterMessages: Record<PdfProblem, string> = {
  missing: "onboarding:validation.letterRequired",
  too_big: "onboarding:validation.letterTooBig",
  not_pdf: "onboarding:validation.letterNotPdf",
};

/** Judges the letter by its bytes, not its name or declared type. Returns an i18n key or null. */
export function letterProblem(bytes: Uint8Array | null): string | null {
  const problem = pdfProblem(bytes, LETTER_MAX_BYTES);
  return problem ? letterMessages[problem] : null;
}

export const creditCodeField = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((v) => v.replace(/[\s-]/g, "").toUpperCase())
  .refine(isValidCreditCode, "onboarding:validation.creditCode");

/** GB/T 2260: six digits whose first two name a known province. */
export const regionCodeField = z
  .string()
  .trim()
  .min(1)
  .regex(/^\d{6}$/, "onboarding:validation.regionCode")
  .refine((v) => v.slice(0, 2) in provinces, "onboarding:validation.regionUnknown");

const phone = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^\+?[0-9][0-9\s()-]{4,}$/, "onboarding:validation.phone");

export const applicationSchema = z.object({
  nameZh: z.string().trim().min(1).max(120),
  nameEn: z.string().trim().min(1).max(200),
  type: z.enum(providerApplicationTypes),
  creditCode: creditCodeField,
  regionCode: regionCodeField,
  address: z.string().trim().min(1).max(300),
  contactName: z.string().trim().min(1).max(60),
  contactPhone: phone,
  contactEmail: emailField,
});
export type ApplicationInput = z.infer<typeof applicationSchema>;

export type Decision = "approve" | "reject";

export const decisionSchema = z
  .object({
    decision: z.enum(["approve", "reject"]),
    reason: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "reject" && !v.reason) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["reason"], message: "onboarding:validation.reasonRequired" });
    }
  });
export type DecisionInput = z.infer<typeof decisionSchema>;

/** Only a submitted application is decided, once; the answer is the new status or the reason it can't be. */
export function decide(
  status: ApplicationStatus,
  decision: Decision,
): { ok: true; status: ApplicationStatus } | { ok: false; error: string } {
  if (status !== "submitted") return { ok: false, error: "onboarding:errors.alreadyDecided" };
  return { ok: true, status: decision === "approve" ? "approved" : "rejected" };
}

/** IANA zone names as this runtime knows them; Intl refuses anything else. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const labSchema = z.object({
  nameZh: z.string().trim().min(1).max(120),
  nameEn: z.string().trim().min(1).max(200),
  address: optionalText(300),
  timeZone: z
    .string()
    .trim()
    .max(64)
    .transform((v) => v || "Asia/Shanghai")
    .refine(isTimeZone, "onboarding:validation.timeZone"),
  contactName: optionalText(60),
  contactPhone: optionalText(40).refine((v) => v === undefined || phone.safeParse(v).success, "onboarding:validation.phone"),
  contactEmail: optionalText(254).refine((v) => v === undefined || emailField.safeParse(v).success, "validation.email"),
});
export type LabInput = z.infer<typeof labSchema>;

export const invitationSchema = z.object({ email: emailField });

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationProblem =
  | "onboarding:invitation.invalid"
  | "onboarding:invitation.used"
  | "onboarding:invitation.withdrawn"
  | "onboarding:invitation.expired";

/** Why an invitation can't be accepted now, or null when it can. */
export function invitationProblem(
  invitation: { acceptedAt: Date | null; withdrawnAt: Date | null; expiresAt: Date } | null,
  now: Date,
): InvitationProblem | null {
  if (!invitation) return "onboarding:invitation.invalid";
  if (invitation.acceptedAt) return "onboarding:invitation.used";
  if (invitation.withdrawnAt) return "onboarding:invitation.withdrawn";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "onboarding:invitation.expired";
  return null;
}

/** Readable URL part from an English name plus a random suffix: "Analysis Centre" → "analysis-centre-3f9a". */
export function slugOf(nameEn: string, suffix: string): string {
  const base = nameEn
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return base ? `${base}-${suffix}` : suffix;
}
