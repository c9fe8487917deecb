// A hand-computed year (2025, Asia/Shanghai) for three instruments of one institution. Every
// expected figure below is worked out by hand in the comments; the code must produce exactly these.
//
// All three are open Monday–Friday 09:00–17:00 (8 h a day), Chinese holiday calendar off, so the
// closures are the only exceptions. 2025 starts on a Wednesday: 52 weeks + 1 day → 261 weekdays,
// 261 × 8 h = 2,088 h of opening rules.
//
// A — rated 1,400 h (platform default), bought 2020. Closures: maintenance Mon 10 March 09:00–13:00
//     (4 h) and the National Day holiday 1–8 October (weekdays 1, 2, 3, 6, 7, 8 → 6 × 8 = 48 h).
//     Available 2,088 − 4 − 48 = 2,036 h.
//     Use:  Mon 3 Mar 09–12 internal        30 + 120 + 15 (+15 idle, not counted) = 165 min
//           Tue 6 May 13–17 SME              20 + 180 + 30 (+10 idle)             = 230 min
//           Tue 20 May 09–11 SME             10 + 100 + 10                         = 120 min
//           Sat 7 Jun 10–12 academic, outside opening hours (overtime)  0 + 120 + 0 = 120 min
//     plus a no-show (Tue 8 Apr 09–11) and a cancelled request (Tue 15 Apr 09–11).
//     Effective 635 min; external 230 + 120 + 120 = 470 min; overtime 120 min.
//     Booked (within opening hours; no-show and cancelled do not count): 3 + 4 + 2 + 0 = 9 h.
//     Utilisation 635 / (1,400 × 60) = 0.7560 % → 较差, below the 50 % threshold, unbooked 2,027 h.
// B — special-purpose, rated 800 h. One booking a month: the first Monday 09:00 to the Friday of
//     the third week 17:00 (15 weekdays → 120 h booked), 3,600 min measured. Odd months internal,
//     even months an academic institute. Available 2,088 h; booked 12 × 120 = 1,440 h;
//     effective 12 × 60 = 720 h; external 6 × 60 = 360 h.
//     Utilisation 720 / 800 = 90 % → 优秀 (the band's lower edge).
// C — commissioned 1 July 2025, rated 1,400 h → 6/12 × 1,400 = 700 h. Available only from 1 July:
//     1 Jul (Tue) – 31 Dec (Wed) = 184 days = 26 weeks + Tue, Wed → 132 weekdays × 8 = 1,056 h.
//     Same monthly spans July–December, 5,400 min (90 h) each. July is a sample job of the SME
//     (5 samples, no slot, so not booked hours); August–December internal slot bookings.
//     Booked 5 × 120 = 600 h; effective 6 × 90 = 540 h; external 90 h.
//     Utilisation 540 / 700 = 77.142857 % → 良好.
// Institution: effective 635 + 43,200 + 32,400 = 76,235 min; external 470 + 21,600 + 5,400 =
//     27,470 min; rated 1,400 + 800 + 700 = 2,900 h; available 2,036 + 2,088 + 1,056 = 5,180 h;
//     booked 9 + 1,440 + 600 = 2,049 h; visits 4 + 12 + 6 = 22; requests 6 + 12 + 6 = 24;
//     one no-show, one cancellation; people and organisations served 3 (internal, SME, academic),
//     SMEs 1; every confirmation came 60 min after its request → median lead 60 min; the sample
//     job was requested Sun 6 Jul 09:00 and its report issued Sat 26 Jul 09:00 → 28,800 min.
import { beforeAll, describe, expect, it } from "vitest";
import { utilisationReport } from "../../app/reporting/report.server";
import { yearPeriod } from "../../app/reporting/period";
import { useTestDatabase } from "../support/db";
import { addBooking, addClosure, newCustomerOrganization, newInstitution, newUsers, refreshOwnSummaries, reportingInstrument, sh } from "../support/reporting";

const d = await useTestDatabase();
const H = 60;
let ids: { a: string; b: string; c: string; organizationId: string };

const firstMondays = ["2025-01-06", "2025-02-03", "2025-03-03", "2025-04-07", "2025-05-05", "2025-06-02", "2025-07-07", "2025-08-04", "2025-09-01", "2025-10-06", "2025-11-03", "2025-12-01"];
const thirdFriday = (monday: string) => {
  const day = new Date(`${monday}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 18);
  return day.toISOString().slice(0, 10);
};

beforeAll(async () => {
  const owner = await newInstitution(d);
  const sme = await newCustomerOrganization(d, { sme: true });
  const academic = await newCustomerOrganization(d, { sme: false, type: "institute" });
  const [internalUser, smeUser, academicUser] = await newUsers(d, 3);
  const internal = { userId: internalUser!, organizationId: owner.organizationId };
  const smeCustomer = { userId: smeUser!, organizationId: sme };
  const academicCustomer = { userId: academicUser!, organizationId: academic };

  const a = await reportingInstrument(d, owner, { purchaseDate: "2020-05-01" });
  const b = await reportingInstrument(d, owner, { purchaseDate: "2019-01-01", ratedAnnualHours: 800 });
  const c = await reportingInstrument(d, owner, { purchaseDate: "2025-03-01", commissioningDate: "2025-07-01" });
  ids = { a, b, c, organizationId: owner.organizationId };

  await addClosure(d, a, sh("2025-03-10 09:00"), sh("2025-03-10 13:00"), "maintenance");
  await addClosure(d, a, sh("2025-10-01 00:00"), sh("2025-10-09 00:00"), "holiday");
  await addBooking(d, { instrumentId: a, ...internal, start: sh("2025-03-03 09:00"), end: sh("2025-03-03 12:00"), usage: { preparation: 30, measurement: 120, postProcessing: 15, idle: 15 } });
  await addBooking(d, { instrumentId: a, ...smeCustomer, start: sh("2025-05-06 13:00"), end: sh("2025-05-06 17:00"), usage: { preparation: 20, measurement: 180, postProcessing: 30, idle: 10 } });
  await addBooking(d, { instrumentId: a, ...smeCustomer, start: sh("2025-05-20 09:00"), end: sh("2025-05-20 11:00"), usage: { preparation: 10, measurement: 100, postProcessing: 10 } });
  await addBooking(d, { instrumentId: a, ...academicCustomer, start: sh("2025-06-07 10:00"), end: sh("2025-06-07 12:00"), usage: { preparation: 0, measurement: 120, postProcessing: 0 } });
  await addBooking(d, { instrumentId: a, ...smeCustomer, status: "no_show", start: sh("2025-04-08 09:00"), end: sh("2025-04-08 11:00") });
  await addBooking(d, { instrumentId: a, ...academicCustomer, status: "cancelled", start: sh("2025-04-15 09:00"), end: sh("2025-04-15 11:00") });

  for (const [i, monday] of firstMondays.entries()) {
    const span = { start: sh(`${monday} 09:00`), end: sh(`${thirdFriday(monday)} 17:00`) };
    await addBooking(d, { instrumentId: b, ...(i % 2 === 0 ? internal : academicCustomer), ...span, usage: { preparation: 0, measurement: 3600, postProcessing: 0 } });
    if (i < 6) continue;
    if (i === 6) {
      await addBooking(d, { instrumentId: c, ...smeCustomer, kind: "sample_job", ...span, reportedAt: sh("2025-07-26 09:00"), usage: { preparation: 0, measurement: 5400, postProcessing: 0, samples: 5 } });
    } else {
      await addBooking(d, { instrumentId: c, ...internal, ...span, usage: { preparation: 0, measurement: 5400, postProcessing: 0 } });
    }
  }
  await refreshOwnSummaries(d, [a, b, c], new Date("2026-01-15T00:00:00Z"));
});

describe("the hand-computed year", () => {
  it("gives every instrument exactly the hand-computed figures and grade", async () => {
    const report = await utilisationReport({ kind: "institution", organizationId: ids.organizationId }, yearPeriod(2025), "instrument");
    const row = (id: string) => report.groups.find((g) => g.key === id)!;
    const a = row(ids.a);
    const b = row(ids.b);
    const c = row(ids.c);

    expect(a.totals).toMatchObject({ availableMinutes: 2036 * H, bookedMinutes: 9 * H, effectiveMinutes: 635, externalMinutes: 470, overtimeMinutes: 120, ratedMinutes: 1400 * H, visits: 4, externalVisits: 3, requests: 6, noShows: 1, cancellations: 1, sampleJobs: 0 });
    expect(a.ratios.utilisation).toBeCloseTo((100 * 635) / 84000, 10);
    expect(a.ratios.sharingRate).toBeCloseTo((100 * 470) / 635, 10);
    expect(a.ratios.unbookedMinutes).toBe(2027 * H);
    expect(a.assessment).toMatchObject({ grade: "poor", belowThreshold: true });

    expect(b.totals).toMatchObject({ availableMinutes: 2088 * H, bookedMinutes: 1440 * H, effectiveMinutes: 720 * H, externalMinutes: 360 * H, overtimeMinutes: 0, ratedMinutes: 800 * H, visits: 12, requests: 12 });
    expect(b.ratios.utilisation).toBe(90);
    expect(b.ratios.utilisationOfAvailable).toBeCloseTo((100 * 720) / 2088, 10);
    expect(b.ratios.sharingRate).toBe(50);
    expect(b.assessment).toMatchObject({ score: 90, grade: "excellent", belowThreshold: false });

    expect(c.totals).toMatchObject({ availableMinutes: 1056 * H, bookedMinutes: 600 * H, effectiveMinutes: 540 * H, externalMinutes: 90 * H, ratedMinutes: 700 * H, visits: 6, sampleJobs: 1, samples: 5, requests: 6 });
    expect(c.ratios.utilisation).toBeCloseTo(77.142857, 5);
    expect(c.assessment).toMatchObject({ grade: "good", belowThreshold: false });

    expect(report.belowThreshold.map((g) => g.key)).toEqual([ids.a]);
  });

  it("rolls the three up to the institution's hand-computed totals", async () => {
    const report = await utilisationReport({ kind: "institution", organizationId: ids.organizationId }, yearPeriod(2025), "institution");
    expect(report.total.instruments).toBe(3);
    expect(report.total.totals).toMatchObject({
      effectiveMinutes: 76235,
      externalMinutes: 27470,
      ratedMinutes: 2900 * H,
      availableMinutes: 5180 * H,
      bookedMinutes: 2049 * H,
      visits: 22,
      requests: 24,
      noShows: 1,
      cancellations: 1,
      sampleJobs: 1,
      samples: 5,
    });
    expect(report.total.ratios.utilisation).toBeCloseTo((100 * 76235) / 174000, 10);
    expect(report.total.ratios.noShowRate).toBeCloseTo(100 / 24, 10);
    expect(report.total.counts).toEqual({ usersServed: 3, organizationsServed: 3, smesServed: 1, medianLeadMinutes: 60, medianTurnaroundMinutes: 28800 });
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]!.totals).toEqual(report.total.totals);
    // The monthly series adds up to the year.
    expect(report.series).toHaveLength(12);
    expect(report.series.reduce((s, m) => s + m.ratedHours, 0)).toBeCloseTo(2900, 0);
    expect(report.series.find((m) => m.month === "2025-07")!.smesServed).toBe(1);
  });
});
