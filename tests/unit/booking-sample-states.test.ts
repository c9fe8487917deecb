import { describe, expect, it } from "vitest";
import { bookingStatuses, sampleJobStatuses, type BookingStatus } from "../../db/schema/booking-vocabulary";
import { parseSampleJobForm } from "../../app/booking/sample-form";
import {
  availableSampleJobTransitions,
  sampleJobTransitionNames,
  sampleStep,
  turnaroundMinutes,
  type SampleJobTransition,
} from "../../app/booking/sample-states";

// The whole table, written out: from which state each transition leads where.
const allowed: Record<SampleJobTransition, Partial<Record<BookingStatus, BookingStatus>>> = {
  accept: { requested: "accepted" },
  reject: { requested: "rejected" },
  cancel: { requested: "cancelled", accepted: "cancelled" },
  expire: { requested: "expired" },
  receiveSamples: { accepted: "samples_received" },
  startTesting: { samples_received: "in_testing" },
  issueReport: { in_testing: "report_issued" },
  complete: { report_issued: "completed" },
};
const targets: Record<SampleJobTransition, BookingStatus> = {
  accept: "accepted",
  reject: "rejected",
  cancel: "cancelled",
  expire: "expired",
  receiveSamples: "samples_received",
  startTesting: "in_testing",
  issueReport: "report_issued",
  complete: "completed",
};

describe("sample-job transitions", () => {
  it("covers every transition", () => {
    expect([...sampleJobTransitionNames].sort()).toEqual(Object.keys(allowed).sort());
  });

  for (const transition of sampleJobTransitionNames) {
    for (const from of bookingStatuses) {
      const to = allowed[transition][from];
      if (to) {
        it(`${transition} takes ${from} to ${to}`, () => expect(sampleStep(from, transition)).toEqual({ ok: true, to, changed: true }));
      } else if (from === targets[transition]) {
        it(`${transition} on ${from} is a repeat: no change`, () => expect(sampleStep(from, transition)).toEqual({ ok: true, to: from, changed: false }));
      } else {
        it(`${transition} refuses ${from}`, () => expect(sampleStep(from, transition)).toEqual({ ok: false, reason: "invalid_transition" }));
      }
    }
  }

  it("never leads outside the sample-job states", () => {
    for (const to of Object.values(targets)) expect(sampleJobStatuses).toContain(to);
  });

  it("offers exactly the transitions that change the state", () => {
    for (const from of bookingStatuses) {
      expect(availableSampleJobTransitions(from)).toEqual(sampleJobTransitionNames.filter((t) => allowed[t][from] !== undefined));
    }
    for (const end of ["completed", "rejected", "cancelled", "expired"] as const) expect(availableSampleJobTransitions(end)).toEqual([]);
  });

  it("derives turnaround from receipt to issue", () => {
    expect(turnaroundMinutes("2026-03-02T01:30:00Z", "2026-03-03T00:00:00Z")).toBe(22 * 60 + 30);
    expect(turnaroundMinutes(null, "2026-03-03T00:00:00Z")).toBeNull();
    expect(turnaroundMinutes("2026-03-02T01:30:00Z", null)).toBeNull();
  });
});

describe("the request form", () => {
  const base = (entries: [string, string][]) => {
    const f = new FormData();
    for (const [k, v] of [["requestKey", "6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c"], ["purpose", "形貌"], ["remains", "dispose"], ...entries] as [string, string][]) f.append(k, v);
    return f;
  };

  it("reads lines, skips blank ones and keys errors by the line's place", () => {
    const parsed = parseSampleJobForm(
      base([
        ["lines", "3"],
        ["samples.0.name", "A"],
        ["samples.0.count", "2"],
        ["samples.0.hazards", "toxic"],
        ["samples.0.hazards", "toxic"],
        ["samples.0.requiredTests", "XRD"],
        ["samples.2.name", "C"],
        ["samples.2.count", "0"],
        ["samples.2.hazards", "other"],
        ["samples.2.requiredTests", "XRD"],
      ]),
    );
    expect(parsed).toEqual({ ok: false, errors: { "samples.2.count": "samples:validation.count", "samples.2.hazardNote": "samples:validation.hazardNote" } });
  });

  it("needs one sample and refuses unknown hazards", () => {
    expect(parseSampleJobForm(base([["lines", "1"]]))).toEqual({ ok: false, errors: { "samples.0.name": "samples:validation.noSamples" } });
    const bad = parseSampleJobForm(base([["samples.0.name", "A"], ["samples.0.count", "1"], ["samples.0.hazards", "cursed"], ["samples.0.requiredTests", "XRD"]]));
    expect(bad).toEqual({ ok: false, errors: { "samples.0.hazards.0": "validation.choice" } });
  });

  it("gives the job with its lines when all is well", () => {
    const parsed = parseSampleJobForm(base([["samples.0.name", " A "], ["samples.0.count", "2"], ["samples.0.hazards", "toxic"], ["samples.0.hazards", "toxic"], ["samples.0.requiredTests", "XRD"]]));
    expect(parsed).toEqual({
      ok: true,
      data: {
        requestKey: "6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c",
        purpose: "形貌",
        projectReference: "",
        remains: "dispose",
        samples: [{ name: "A", count: 2, matrix: "", hazards: ["toxic"], hazardNote: "", requiredTests: "XRD" }],
      },
    });
  });
});
