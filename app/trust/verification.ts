// Verified organisations: the request form (unified social credit code + business-licence scan),
// the admin's decision, and the platform rule on a first booking. Pure: no I/O.
import { z } from "zod";
import { storedSettings } from "~/lib/validation";
import { creditCodeField } from "~/catalogue/onboarding";
import { documentType } from "~/lib/pdf";

export { verificationPath } from "./verification-path";

export const LICENCE_MAX_BYTES = 10 * 1024 * 1024;

export const verificationFormSchema = z.object({ creditCode: creditCodeField });

export const verificationDecisionSchema = z
  .object({
    decision: z.enum(["verify", "reject"], { message: "validation.choice" }),
    reason: z.string().trim().max(500, "validation.tooBig").optional().default(""),
  })
  .refine((d) => d.decision === "verify" || d.reason.length > 0, { path: ["reason"], message: "verification:validation.reasonRequired" });
export type VerificationDecision = z.infer<typeof verificationDecisionSchema>;

/** The scan's type by its first bytes (PDF, PNG or JPEG); anything else is refused. */
export const licenceType = documentType;

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

/** Stored values over the defaults; a stored value that no longer fits the schema is ignored. */
export const verificationSettingsFrom = storedSettings(verificationSettingsSchema, defaultVerificationSettings);

/** What the first-booking rule weighs for one organisation: the stored setting, as read with it. */
export interface FirstBookingStanding {
  settings: unknown;
  verifiedAt: Date | string | null;
  /** Whether the organisation has ever booked. */
  booked: boolean;
}

/**
 * Whether the platform's rule refuses this organisation's booking now: verification is required
 * and the organisation, not yet verified, has never booked. Never for an unknown organisation.
 */
export function refusesFirstBooking(standing: FirstBookingStanding | null): boolean {
  if (!standing) return false;
  return verificationSettingsFrom(standing.settings).requireBeforeFirstBooking && standing.verifiedAt === null && !standing.booked;
}
