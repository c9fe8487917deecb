// Credit records (信用档案): the platform's thresholds and the rule that turns a customer's
// no-shows and late cancellations into a block. Pure: counts and settings in, verdict out.
import { z } from "zod";
import { storedSettings } from "~/lib/validation";
import type { CreditBlockRule } from "../../db/schema/trust";

export interface CreditSettings {
  /** No-shows within the window that block booking. */
  noShowLimit: number;
  /** Late cancellations by the customer within the window that block booking. */
  lateCancellationLimit: number;
  /** The window the counts look back over. */
  windowMonths: number;
  /** A cancellation by the customer this close to the start (or later) counts as late. */
  lateCancellationHours: number;
}

export const defaultCreditSettings: CreditSettings = { noShowLimit: 3, lateCancellationLimit: 5, windowMonths: 12, lateCancellationHours: 24 };

const whole = (min: number, max: number) => z.coerce.number({ message: "validation.invalid" }).int("validation.invalid").min(min, "validation.tooSmall").max(max, "validation.tooBig");

export const creditSettingsSchema = z.object({
  noShowLimit: whole(1, 100),
  lateCancellationLimit: whole(1, 100),
  windowMonths: whole(1, 60),
  lateCancellationHours: whole(1, 720),
});

/** Stored values over the defaults; a stored value that no longer fits the schema is ignored. */
export const creditSettingsFrom = storedSettings(creditSettingsSchema, defaultCreditSettings);

export interface CreditCounts {
  noShows: number;
  lateCancellations: number;
}

/** The rule a customer's counts trip, if any (no-shows first: they cost the lab the slot). */
export function trippedRule(counts: CreditCounts, settings: CreditSettings): { rule: CreditBlockRule; count: number; threshold: number } | null {
  if (counts.noShows >= settings.noShowLimit) return { rule: "no_shows", count: counts.noShows, threshold: settings.noShowLimit };
  if (counts.lateCancellations >= settings.lateCancellationLimit)
    return { rule: "late_cancellations", count: counts.lateCancellations, threshold: settings.lateCancellationLimit };
  return null;
}

/** The start of the counting window: `windowMonths` before now, or the last lifted block if later. */
export function countingSince(now: Date, settings: CreditSettings, lastLiftedAt: Date | null): Date {
  const start = new Date(now);
  start.setUTCMonth(start.getUTCMonth() - settings.windowMonths);
  return lastLiftedAt && lastLiftedAt > start ? lastLiftedAt : start;
}

