/** Reporting vocabularies, free of any database import so the browser and pure modules can use them. */

/**
 * The score the grade bands apply to: utilisation against rated hours capped at 100 (the national
 * method's default), or against available hours capped at 100.
 */
export const gradeMethods = ["rated_capped", "available_capped"] as const;
export type GradeMethod = (typeof gradeMethods)[number];
