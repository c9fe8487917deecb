/** Accreditation and review vocabularies, free of any database import so the browser and pure modules can use them. */

export const accreditationKinds = ["cnas", "cma", "iso17025", "other"] as const;
export type AccreditationKind = (typeof accreditationKinds)[number];

/** Days before an accreditation expires on which its holders are warned. */
export const expiryWarningDays = [60, 30] as const;

export const reviewRatings = ["very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied"] as const;
export type ReviewRating = (typeof reviewRatings)[number];
