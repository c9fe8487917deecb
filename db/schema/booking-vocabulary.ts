/** Booking vocabularies, free of any database import so the browser and pure modules can use them. */

export const bookingKinds = ["slot", "sample_job"] as const;
export type BookingKind = (typeof bookingKinds)[number];

/** Slot booking states (DESIGN.md §6); sample-job states join this list when sample jobs arrive. */
export const bookingStatuses = [
  "requested",
  "confirmed",
  "in_use",
  "completed",
  "rejected",
  "cancelled",
  "expired",
  "no_show",
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/** States that hold the instrument's time: the exclusion constraint applies to exactly these. */
export const liveBookingStatuses = ["requested", "confirmed", "in_use"] as const satisfies readonly BookingStatus[];

export const closureKinds = ["maintenance", "internal", "holiday", "other"] as const;
export type ClosureKind = (typeof closureKinds)[number];

/** always: every request waits for the lab; qualified: users with a valid training record are confirmed at once; never: all are. */
export const approvalModes = ["always", "qualified", "never"] as const;
export type ApprovalMode = (typeof approvalModes)[number];
