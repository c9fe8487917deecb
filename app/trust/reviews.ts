// Reviews and satisfaction (评价): the five levels and how ratings add up (the forms' schemas are
// in review-forms.ts, so rating summaries in the browser do not carry zod). Pure: rows in, figures out.
import { reviewRatings, type ReviewRating } from "../../db/schema/trust-vocabulary";

export { reviewRatings, type ReviewRating };

/** Only finished work can be rated: a completed slot or a completed sample job. */
export const reviewableStatuses = ["completed"] as const;
export const isReviewable = (status: string) => (reviewableStatuses as readonly string[]).includes(status);

export type RatingDistribution = Record<ReviewRating, number>;

export interface RatingSummary {
  count: number;
  distribution: RatingDistribution;
  /** Share rated 非常满意 or 基本满意 (0…1), null without reviews. */
  satisfiedShare: number | null;
}

export function emptyDistribution(): RatingDistribution {
  return Object.fromEntries(reviewRatings.map((r) => [r, 0])) as RatingDistribution;
}

/** Counts per level (as read from the database, levels may be missing) → the summary shown. */
export function summariseRatings(counts: Partial<Record<string, number>>): RatingSummary {
  const distribution = emptyDistribution();
  for (const r of reviewRatings) distribution[r] = Number(counts[r] ?? 0);
  const count = reviewRatings.reduce((sum, r) => sum + distribution[r], 0);
  return { count, distribution, satisfiedShare: count ? (distribution.very_satisfied + distribution.satisfied) / count : null };
}
