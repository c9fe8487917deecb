// Accreditations (认证资质): which ones show on a given day, and which expiry warnings are due (the
// form's schema is in accreditation-form.ts, so badges in the browser do not carry zod). Pure: days
// are YYYY-MM-DD strings on the lab's wall clock, passed in.
import { accreditationKinds, expiryWarningDays, type AccreditationKind } from "../../db/schema/trust-vocabulary";
import type { PdfProblem } from "~/lib/pdf";

export { accreditationKinds, expiryWarningDays, type AccreditationKind };

export const CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day (2026-02-30 is not). */
export const realDay = (s: string) => isoDay.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export const certificateMessages: Record<PdfProblem, string> = {
  missing: "accreditation:validation.certificateRequired",
  too_big: "accreditation:validation.certificateTooBig",
  not_pdf: "accreditation:validation.certificateNotPdf",
};

/** Shown (badge, facet) from its first day through its last. */
export function isShown(a: { validFrom: string; validTo: string }, today: string): boolean {
  return a.validFrom <= today && today <= a.validTo;
}

/** Whole days from `today` to `last` (both YYYY-MM-DD). */
export function daysBetween(today: string, last: string): number {
  return Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * The warning due today, if any: the nearest threshold the expiry has come within and that was
 * not sent yet. A certificate added 20 days before expiry gets the 30-day warning only.
 */
export function dueWarning(validTo: string, today: string, sent: readonly number[]): number | null {
  const left = daysBetween(today, validTo);
  if (left < 0) return null;
  const reached = expiryWarningDays.filter((d) => left <= d).sort((a, b) => a - b);
  const nearest = reached[0];
  if (nearest === undefined || sent.includes(nearest)) return null;
  return nearest;
}

/** Kinds in badge order, each once. */
export function badgeKinds(kinds: readonly string[]): AccreditationKind[] {
  return accreditationKinds.filter((k) => kinds.includes(k));
}
