// The booking state machine (DESIGN.md §6) as data: which transition leads from which states to
// which state. Commands consult it; the UI uses it to show only the buttons that can work.
import {
  liveBookingStatuses,
  type BookingStatus,
} from "../../db/schema/booking-vocabulary";

export const transitions = {
  approve: { from: ["requested"], to: "confirmed" },
  reject: { from: ["requested"], to: "rejected" },
  cancel: { from: ["requested", "confirmed"], to: "cancelled" },
  expire: { from: ["requested"], to: "expired" },
  checkIn: { from: ["confirmed"], to: "in_use" },
  checkOut: { from: ["in_use"], to: "completed" },
  markNoShow: { from: ["confirmed"], to: "no_show" },
} as const satisfies Record<string, { from: readonly BookingStatus[]; to: BookingStatus }>;

export type Transition = keyof typeof transitions;
export const transitionNames = Object.keys(transitions) as Transition[];

/** Transitions whose event must say why: the customer deserves a reason for a refusal. */
export const reasonRequired: ReadonlySet<Transition> = new Set(["reject"]);

export type Step =
  | { ok: true; to: BookingStatus; changed: true }
  /** The booking is already where the transition leads: repeating it is a no-op. */
  | { ok: true; to: BookingStatus; changed: false }
  | { ok: false; reason: "invalid_transition" };

export type TransitionTable = Record<string, { from: readonly BookingStatus[]; to: BookingStatus }>;

/** Where the table's `name` takes a booking in `current`, or why it can't (shared by slots and sample jobs). */
export function stepIn<T extends TransitionTable>(table: T, current: BookingStatus, name: keyof T): Step {
  const { from, to } = table[name]!;
  if (current === to) return { ok: true, to, changed: false };
  if (from.includes(current)) return { ok: true, to, changed: true };
  return { ok: false, reason: "invalid_transition" };
}

/** Where `transition` takes a slot booking in `current`, or why it can't. */
export const step = (current: BookingStatus, transition: Transition): Step => stepIn(transitions, current, transition);

/** Transitions that can still be applied to a booking in `current` (for buttons). */
export function availableTransitions(current: BookingStatus): Transition[] {
  return transitionNames.filter((name) => (transitions[name].from as readonly BookingStatus[]).includes(current));
}

/**
 * The one-click actions a lab's schedule offers on a booking: check-in except on days ahead, and
 * no-show only once the booked start has passed (a no-show counts towards blocking the customer).
 */
export function scheduleActions(current: BookingStatus, when: { dayAhead: boolean; started: boolean }): ("checkIn" | "markNoShow")[] {
  return availableTransitions(current).filter(
    (a): a is "checkIn" | "markNoShow" => (a === "checkIn" && !when.dayAhead) || (a === "markNoShow" && when.started),
  );
}

export function isLive(status: BookingStatus): boolean {
  return (liveBookingStatuses as readonly BookingStatus[]).includes(status);
}
