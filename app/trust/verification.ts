// Verified organisations: the request form (unified social credit code + business-licence scan),
// the admin's decision, and the platform rule on a first booking. Pure: no I/O.
import { z } from "zod";
import { creditCodeField } from "~/catalogue/onboarding";

/** An organisation's verification page (its admins' way to get verified). */
export const verificationPath = (organizationId: string) => `/organizations/${organizationId}/verification`;

export const LICENCE_MAX_BYTES = 10 * 1024 * 1024;

export const verificationFormSchema = z.object({ creditCode: creditCodeField });

export const verificationDecisionSchema = z
  .object({
    decision: z.enum(["verify", "reject"], { message: "validation.choice" }),
    reason: z.string().trim().max(500, "validation.tooBig").optional().default(""),
  })
  .refine((d) => d.decision === "verify" || d.reason.length > 0, { path: ["reason"], message: "verification:validation.reasonRequired" });
export type VerificationDecision = z.infer<typeof verificationDecisionSchema>;

export type LicenceType = "application/pdf" | "image/png" | "image/jpeg";

/** The scan's type by its first bytes (PDF, PNG or JPEG); anything else is refused. */
export function licenceType(bytes: Uint8Array): LicenceType | null {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  return null;
}

/** The field's message (an i18n key) for an unusable scan, or null. */
export function licenceProblem(size: number, bytes: Uint8Array | null): string | null {
  if (size === 0 || !bytes) return "verification:validation.licenceRequired";
  if (size > LICENCE_MAX_BYTES) return "verification:validation.licenceTooBig";
  return licenceType(bytes) ? null : "verification:validation.licenceType";
}

export interface VerificationSettings {
  /** An unverified organisation may not make its first booking. */
  requireBeforeFirstBooking: boolean;
}

export const defaultVerificationSettings: VerificationSettings = { requireBeforeFirstBooking: false };

export const verificationSettingsSchema = z.object({
  requireBeforeFirstBooking: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
});

export function verificationSettingsFrom(stored: unknown): VerificationSettings {
  const parsed = verificationSettingsSchema.partial().safeParse(stored ?? {});
  return { ...defaultVerificationSettings, ...(parsed.success ? parsed.data : {}) };
}

/** Whether the rule refuses this organisation's booking now. */
export function refusesFirstBooking(settings: VerificationSettings, organization: { verifiedAt: Date | string | null; bookings: number }): boolean {
  return settings.requireBeforeFirstBooking && organization.verifiedAt === null && organization.bookings === 0;
}
