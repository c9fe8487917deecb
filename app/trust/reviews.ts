// Reviews and satisfaction (评价): the five levels, the form's schema and how ratings add up.
// Pure: rows in, figures out.
import { z } from "zod";
import { reviewRatings, type ReviewRating } from "../../db/schema/trust-vocabulary";

export { reviewRatings, type ReviewRating };

/** Only finished work can be rated: a completed slot or a completed sample job. */
export const reviewableStatuses = ["completed"] as const;
export const isReviewable = (status: string) => (reviewableStatuses as readonly string[]).includes(status);

/**
 * Markup in a comment is refused with a message rather than silently stripped: the writer sees
 * exactly what will be shown. Anything else is stored as typed and rendered as plain text.
 */
const MARKUP = /<\s*[a-zA-Z!/?]/;

export const userText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "validation.tooBig")
    .refine((v) => !MARKUP.test(v), "reviews:validation.markup");

export const reviewSchema = z.object({
  rating: z.enum(reviewRatings, { message: "validation.choice" }),
  comment: userText(2000).optional().default(""),
});

export const replySchema = z.object({
  reviewId: z.string().uuid(),
  reply: userText(2000).pipe(z.string().min(1, "validation.required")),
});

export const hideSchema = z.object({
  reviewId: z.string().uuid(),
  reason: z.string().trim().min(1, "validation.required").max(500, "validation.tooBig"),
});

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
