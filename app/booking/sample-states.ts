// The sample-job state machine (送样检测, DESIGN.md §6) as data, next to the slot machine in
// states.ts: requested → accepted → samples_received → in_testing → report_issued → completed,
// with rejection, cancellation before the samples arrive, and expiry of unanswered requests.
import type { BookingStatus, SampleJobStatus } from "../../db/schema/booking-vocabulary";
import { stepIn, type Step } from "./states";

export const sampleJobTransitions = {
  accept: { from: ["requested"], to: "accepted" },
  reject: { from: ["requested"], to: "rejected" },
  // Once the samples are in the lab, withdrawing is a conversation with the lab, not a button.
  cancel: { from: ["requested", "accepted"], to: "cancelled" },
  expire: { from: ["requested"], to: "expired" },
  receiveSamples: { from: ["accepted"], to: "samples_received" },
  startTesting: { from: ["samples_received"], to: "in_testing" },
  issueReport: { from: ["in_testing"], to: "report_issued" },
  complete: { from: ["report_issued"], to: "completed" },
} as const satisfies Record<string, { from: readonly SampleJobStatus[]; to: SampleJobStatus }>;

export type SampleJobTransition = keyof typeof sampleJobTransitions;
export const sampleJobTransitionNames = Object.keys(sampleJobTransitions) as SampleJobTransition[];

export const sampleJobReasonRequired: ReadonlySet<SampleJobTransition> = new Set(["reject"]);

export const sampleStep = (current: BookingStatus, transition: SampleJobTransition): Step => stepIn(sampleJobTransitions, current, transition);

/** Transitions that can still be applied to a sample job in `current` (for buttons). */
export function availableSampleJobTransitions(current: BookingStatus): SampleJobTransition[] {
  return sampleJobTransitionNames.filter((name) => (sampleJobTransitions[name].from as readonly BookingStatus[]).includes(current));
}

/** States in which the lab works on the job: the queue lists these. */
export const openSampleJobStatuses = ["requested", "accepted", "samples_received", "in_testing", "report_issued"] as const satisfies readonly SampleJobStatus[];

/** Instrument time may be recorded while testing and until the job is completed. */
export const canRecordTime = (status: BookingStatus) => status === "in_testing" || status === "report_issued";

/** The report may be (re)placed only while testing: once issued, the customer's copy is final. */
export const canUploadReport = (status: BookingStatus) => status === "in_testing";

/** Turnaround (周期): whole minutes from samples received to report issued; null until both happened. */
export function turnaroundMinutes(samplesReceivedAt: Date | string | null, reportIssuedAt: Date | string | null): number | null {
  if (!samplesReceivedAt || !reportIssuedAt) return null;
  return Math.round((new Date(reportIssuedAt).getTime() - new Date(samplesReceivedAt).getTime()) / 60_000);
}
