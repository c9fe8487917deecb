// The review, reply and hide forms' schemas, apart from reviews.ts so that pages showing ratings do
// not load zod in the browser.
import { z } from "zod";
import { reviewRatings } from "./reviews";

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
