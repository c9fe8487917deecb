import { describe, expect, it } from "vitest";
import { bookingStatuses, liveBookingStatuses, type BookingStatus } from "../../db/schema/booking-vocabulary";
import { availableTransitions, isLive, scheduleActions, step, transitionNames, type Transition } from "../../app/booking/states";

// The whole table, written out: [transition, from, expected target or null when refused].
const allowed: Record<Transition, Partial<Record<BookingStatus, BookingStatus>>> = {
  approve: { requested: "confirmed" },
  reject: { requested: "rejected" },
  cancel: { requested: "cancelled", confirmed: "cancelled" },
  expire: { requested: "expired" },
  checkIn: { confirmed: "in_use" },
  checkOut: { in_use: "completed" },
  markNoShow: { confirmed: "no_show" },
};
const targets: Record<Transition, BookingStatus> = {
  approve: "confirmed",
  reject: "rejected",
  cancel: "cancelled",
  expire: "expired",
  checkIn: "in_use",
  checkOut: "completed",
  markNoShow: "no_show",
};

describe("booking transitions", () => {
  it("covers every transition", () => {
    expect([...transitionNames].sort()).toEqual(Object.keys(allowed).sort());
  });

  for (const transition of transitionNames) {
    for (const from of bookingStatuses) {
      const to = allowed[transition][from];
      if (to) {
        it(`${transition} takes ${from} to ${to}`, () => expect(step(from, transition)).toEqual({ ok: true, to, changed: true }));
      } else if (from === targets[transition]) {
        it(`${transition} on ${from} is a repeat: no change`, () =>
          expect(step(from, transition)).toEqual({ ok: true, to: from, changed: false }));
      } else {
        it(`${transition} refuses ${from}`, () => expect(step(from, transition)).toEqual({ ok: false, reason: "invalid_transition" }));
      }
    }
  }

  it("offers exactly the transitions that change the state", () => {
    for (const from of bookingStatuses) {
      expect(availableTransitions(from)).toEqual(transitionNames.filter((t) => allowed[t][from] !== undefined));
    }
    expect(availableTransitions("completed")).toEqual([]);
    expect(availableTransitions("confirmed").sort()).toEqual(["cancel", "checkIn", "markNoShow"]);
  });

  it("lets no transition leave a final state", () => {
    for (const final of ["completed", "rejected", "cancelled", "expired", "no_show"] as const) {
      for (const t of transitionNames) expect(step(final, t)).not.toMatchObject({ changed: true });
    }
  });

  it("counts requested, confirmed and in_use as live, nothing else", () => {
    expect(bookingStatuses.filter(isLive)).toEqual([...liveBookingStatuses]);
    expect(liveBookingStatuses).toEqual(["requested", "confirmed", "in_use"]);
  });
});

describe("the lab schedule's one-click actions", () => {
  it("offers check-in except on days ahead, and a no-show only once the booking has begun", () => {
    expect(scheduleActions("confirmed", { dayAhead: false, started: true })).toEqual(["checkIn", "markNoShow"]);
    expect(scheduleActions("confirmed", { dayAhead: false, started: false })).toEqual(["checkIn"]);
    expect(scheduleActions("confirmed", { dayAhead: true, started: false })).toEqual([]);
  });

  it("offers neither once the booking has moved on", () => {
    for (const status of ["in_use", "completed", "no_show", "cancelled"] as const) {
      expect(scheduleActions(status, { dayAhead: false, started: true })).toEqual([]);
    }
  });
});
