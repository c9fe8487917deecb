/** Booking vocabularies, free of any database import so the browser and pure modules can use them. */

export const bookingKinds = ["slot", "sample_job"] as const;
export type BookingKind = (typeof bookingKinds)[number];

/** Slot booking states (DESIGN.md §6). */
export const slotStatuses = [
  "requested",
  "confirmed",
  "in_use",
  "completed",
  "rejected",
  "cancelled",
  "expired",
  "no_show",
] as const;

/** Sample-job states (送样检测): the slot's request, answer and end states plus the job's own steps. */
export const sampleJobStatuses = [
  "requested",
  "accepted",
  "samples_received",
  "in_testing",
  "report_issued",
  "completed",
  "rejected",
  "cancelled",
  "expired",
] as const;

export const bookingStatuses = [...slotStatuses, "accepted", "samples_received", "in_testing", "report_issued"] as const;
export type BookingStatus = (typeof bookingStatuses)[number];
export type SampleJobStatus = (typeof sampleJobStatuses)[number];

/** States that hold the instrument's time: the exclusion constraint applies to exactly these. */
export const liveBookingStatuses = ["requested", "confirmed", "in_use"] as const satisfies readonly BookingStatus[];

export const closureKinds = ["maintenance", "internal", "holiday", "other"] as const;
export type ClosureKind = (typeof closureKinds)[number];

/** always: every request waits for the lab; qualified: users with a valid training record are confirmed at once; never: all are. */
export const approvalModes = ["always", "qualified", "never"] as const;
export type ApprovalMode = (typeof approvalModes)[number];

/** Hazards a customer declares per sample line (GHS-style classes); "other" asks for a note. */
export const sampleHazards = [
  "flammable",
  "corrosive",
  "toxic",
  "oxidizing",
  "explosive",
  "radioactive",
  "biohazard",
  "nanomaterial",
  "air_sensitive",
  "other",
] as const;
export type SampleHazard = (typeof sampleHazards)[number];

/** What the lab does with what is left of the samples after testing. */
export const sampleRemains = ["return", "dispose"] as const;
export type SampleRemains = (typeof sampleRemains)[number];
