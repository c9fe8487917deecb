/**
 * An organisation's verification page (its admins' way to get verified). Apart from
 * verification.ts so that the verified badge does not load zod in the browser.
 */
export const verificationPath = (organizationId: string) => `/organizations/${organizationId}/verification`;
