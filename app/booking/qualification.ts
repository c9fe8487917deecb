// Whether a user's training records (培训/资质) let them operate an instrument on a given day.
// Pure: the records and the day (the lab's calendar date) are arguments.

export interface QualificationRecord {
  trainedOn: string;
  expiresOn: string;
  revokedAt: Date | string | null;
}

export type QualificationState =
  /** An unrevoked record covers the day. */
  | { state: "valid"; expiresOn: string }
  /** The latest unrevoked record ended before the day: the user must renew. */
  | { state: "expired"; expiresOn: string }
  /** No unrevoked record (never trained, or every record revoked), or training starts later. */
  | { state: "none" };

/**
 * The state on `day` (YYYY-MM-DD, the lab's date). Valid through the expiry date inclusive; of
 * several valid records the one lasting longest is reported, so the user sees the latest expiry.
 */
export function qualificationOn(records: readonly QualificationRecord[], day: string): QualificationState {
  const standing = records.filter((r) => r.revokedAt === null);
  const covering = standing.filter((r) => r.trainedOn <= day && day <= r.expiresOn);
  if (covering.length > 0) return { state: "valid", expiresOn: latestExpiry(covering) };
  const ended = standing.filter((r) => r.expiresOn < day);
  if (ended.length > 0) return { state: "expired", expiresOn: latestExpiry(ended) };
  return { state: "none" };
}

const latestExpiry = (records: readonly QualificationRecord[]) => records.map((r) => r.expiresOn).sort().at(-1)!;
