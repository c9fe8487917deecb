// Rolling instrument figures up to lab, institution, region, category and platform, and the ratios
// every report shows. Additive figures are summed; people, organisations and medians are not
// additive, so they come in already counted per group (queries.server.ts counts them in SQL).
import type { MonthFigures } from "./figures";
import { grade, percent, ratedMinutes, score, type Grade, type RatedInstrument, type ReportingPolicy } from "./rating";
import type { Month } from "./period";

export const groupings = ["instrument", "lab", "institution", "region", "category"] as const;
export type Grouping = (typeof groupings)[number];

export const additiveKeys = [
  "availableMinutes",
  "bookedMinutes",
  "effectiveMinutes",
  "externalMinutes",
  "overtimeMinutes",
  "visits",
  "externalVisits",
  "sampleJobs",
  "samples",
  "requests",
  "noShows",
  "cancellations",
] as const;
export type AdditiveKey = (typeof additiveKeys)[number];
export type Totals = Record<AdditiveKey, number> & { ratedMinutes: number };

export const zeroTotals = (): Totals =>
  Object.fromEntries([...additiveKeys, "ratedMinutes"].map((k) => [k, 0])) as Totals;

export function addTotals(into: Totals, add: Partial<Totals>): Totals {
  for (const k of [...additiveKeys, "ratedMinutes"] as const) into[k] += add[k] ?? 0;
  return into;
}

/** Distinct counts and medians of a group, counted over the group's own rows. */
export interface GroupCounts {
  usersServed: number;
  organizationsServed: number;
  smesServed: number;
  medianLeadMinutes: number | null;
  medianTurnaroundMinutes: number | null;
}

export const noCounts: GroupCounts = { usersServed: 0, organizationsServed: 0, smesServed: 0, medianLeadMinutes: null, medianTurnaroundMinutes: null };

export interface Ratios {
  /** effective / rated, in percent */
  utilisation: number | null;
  /** effective / available, in percent */
  utilisationOfAvailable: number | null;
  /** external / effective, in percent */
  sharingRate: number | null;
  noShowRate: number | null;
  cancellationRate: number | null;
  /** available hours nobody booked (booked hours may lie outside opening hours, so floored at 0) */
  unbookedMinutes: number;
}

export function ratios(t: Totals): Ratios {
  return {
    utilisation: percent(t.effectiveMinutes, t.ratedMinutes),
    utilisationOfAvailable: percent(t.effectiveMinutes, t.availableMinutes),
    sharingRate: percent(t.externalMinutes, t.effectiveMinutes),
    noShowRate: percent(t.noShows, t.requests),
    cancellationRate: percent(t.cancellations, t.requests),
    unbookedMinutes: Math.max(0, t.availableMinutes - t.bookedMinutes),
  };
}

export interface InstrumentAssessment {
  score: number | null;
  grade: Grade | null;
  /** utilisation against rated hours below the policy's threshold */
  belowThreshold: boolean;
}

export function assess(t: Totals, policy: ReportingPolicy): InstrumentAssessment {
  const s = score(t, policy.gradeMethod);
  const u = percent(t.effectiveMinutes, t.ratedMinutes);
  return { score: s, grade: grade(s), belowThreshold: u !== null && u < policy.thresholdPercent };
}

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Figures of one instrument over whole months, computed from its month figures directly: the
 * reference the summary tables must reproduce, and what the hand-computed fixture checks.
 */
export function instrumentPeriodFigures(
  months: readonly MonthFigures[],
  period: readonly Month[],
  instrument: RatedInstrument & { smeOrganizationIds: ReadonlySet<string> },
  policy: ReportingPolicy,
) {
  const totals = zeroTotals();
  for (const m of months) addTotals(totals, m);
  totals.ratedMinutes = ratedMinutes(instrument, period, policy);
  const users = new Set(months.flatMap((m) => m.customers.map((c) => c.userId)));
  const orgs = new Set(months.flatMap((m) => m.customers.map((c) => c.organizationId)));
  const counts: GroupCounts = {
    usersServed: users.size,
    organizationsServed: orgs.size,
    smesServed: [...orgs].filter((o) => instrument.smeOrganizationIds.has(o)).length,
    medianLeadMinutes: median(months.flatMap((m) => m.leadMinutes)),
    medianTurnaroundMinutes: median(months.flatMap((m) => m.turnaroundMinutes)),
  };
  return { totals, counts, ratios: ratios(totals), ...assess(totals, policy) };
}
