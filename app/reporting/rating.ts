// Rated hours (额定机时), utilisation and the machine-hour grade of the national evaluation method.
import type { GradeMethod } from "../../db/schema/reporting-vocabulary";
import { daysInMonth, monthIndex, type Month } from "./period";

export interface ReportingPolicy {
  ratedAnnualHours: number;
  thresholdPercent: number;
  gradeMethod: GradeMethod;
}

export const defaultPolicy: ReportingPolicy = { ratedAnnualHours: 1400, thresholdPercent: 50, gradeMethod: "rated_capped" };

export interface RatedInstrument {
  /** The instrument's own rating, else its category's; null: the platform's. */
  ratedAnnualHours: number | null;
  /** In service from this day (commissioning, else purchase date); null: always. YYYY-MM-DD. */
  inServiceFrom: string | null;
}

export const annualRating = (instrument: RatedInstrument, policy: ReportingPolicy) =>
  instrument.ratedAnnualHours ?? policy.ratedAnnualHours;

/**
 * Rated minutes of one month: a twelfth of the annual rating, pro-rated by the days of the month
 * the instrument was in service (docs/decisions/051-rated-hours-pro-rating.md); as a function of
 * the month, the dates read once (reports call it for every instrument and month).
 */
function monthRating(instrument: RatedInstrument, policy: ReportingPolicy): (month: Month) => number {
  const monthly = (annualRating(instrument, policy) * 60) / 12;
  if (!instrument.inServiceFrom) return () => monthly;
  const [y, m, d] = instrument.inServiceFrom.split("-").map(Number) as [number, number, number];
  const since = monthIndex({ year: y, month: m });
  return (month) => {
    const index = monthIndex(month);
    if (since < index) return monthly;
    if (since > index) return 0;
    const days = daysInMonth(month);
    return (monthly * (days - d + 1)) / days;
  };
}

export function ratedMinutes(instrument: RatedInstrument, months: readonly Month[], policy: ReportingPolicy): number {
  const rated = monthRating(instrument, policy);
  return months.reduce((sum, m) => sum + rated(m), 0);
}

/** Rated minutes of each month summed over the instruments, in the same order of addition as month by month. */
export function ratedMinutesPerMonth(instruments: readonly RatedInstrument[], months: readonly Month[], policy: ReportingPolicy): number[] {
  const out = months.map(() => 0);
  for (const instrument of instruments) {
    const rated = monthRating(instrument, policy);
    months.forEach((m, k) => (out[k] += rated(m)));
  }
  return out;
}

export const grades = ["excellent", "good", "pass", "poor"] as const;
export type Grade = (typeof grades)[number];

/** Percent, or null when the denominator is zero (an instrument not yet in service). */
export const percent = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : null);

/** The score the bands apply to, per the platform's method setting; capped at 100. */
export function score(
  figures: { effectiveMinutes: number; ratedMinutes: number; availableMinutes: number },
  method: GradeMethod,
): number | null {
  const raw =
    method === "rated_capped"
      ? percent(figures.effectiveMinutes, figures.ratedMinutes)
      : percent(figures.effectiveMinutes, figures.availableMinutes);
  return raw === null ? null : Math.min(100, raw);
}

/** 优秀 ≥ 90, 良好 75–89, 合格 60–74, 较差 < 60 (scores are compared unrounded). */
export function grade(value: number | null): Grade | null {
  if (value === null) return null;
  if (value >= 90) return "excellent";
  if (value >= 75) return "good";
  if (value >= 60) return "pass";
  return "poor";
}
