// Property tests of the utilisation figures on a real database: random years of use for a few
// instruments of one institution, refreshed into the summaries, then checked against invariants
// and against the same figures computed straight from the raw rows.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { yearPeriod, monthsOf } from "../../app/reporting/period";
import { defaultPolicy } from "../../app/reporting/rating";
import { instrumentMonths, loadSources, refreshSummaries } from "../../app/reporting/refresh.server";
import { utilisationReport } from "../../app/reporting/report.server";
import { additiveKeys, instrumentPeriodFigures } from "../../app/reporting/rollup";
import { useTestDatabase } from "../support/db";
import { addBooking, addClosure, newCustomerOrganization, newInstitution, newUsers, reportingInstrument, sh } from "../support/reporting";

const d = await useTestDatabase();
const NOW = new Date("2026-01-15T00:00:00Z");
const YEAR = yearPeriod(2025);
const rowsOf = <T>(result: any): T[] => (Array.isArray(result) ? result : result.rows) as T[];

/** One use: a day of 2025 (distinct per instrument, so uses never overlap), a start hour, a length and the effective part of it. */
const useArb = fc.record({
  day: fc.integer({ min: 0, max: 363 }),
  startHour: fc.integer({ min: 0, max: 20 }),
  hours: fc.integer({ min: 1, max: 3 }),
  effectiveShare: fc.integer({ min: 0, max: 100 }),
  customer: fc.constantFrom("internal" as const, "sme" as const, "academic" as const),
  sampleJob: fc.boolean(),
  samples: fc.integer({ min: 0, max: 5 }),
});
const instrumentArb = fc.record({
  uses: fc.uniqueArray(useArb, { minLength: 0, maxLength: 6, selector: (u) => u.day }),
  closureDay: fc.option(fc.integer({ min: 0, max: 360 }), { nil: null }),
  commissionedMonth: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  lab: fc.integer({ min: 0, max: 1 }),
});

type InstrumentPlan = typeof instrumentArb extends fc.Arbitrary<infer T> ? T : never;

const dayOf2025 = (day: number) => new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10);
const at = (day: number, hour: number) => sh(`${dayOf2025(day)} ${String(hour).padStart(2, "0")}:00`);

async function scenario(plan: InstrumentPlan[]) {
  const owner = await newInstitution(d);
  const secondLab = await newInstitution(d);
  // The second lab belongs to the same institution: move it there.
  await d.db.execute(sql`update labs set organization_id = ${owner.organizationId}::uuid where id = ${secondLab.labId}::uuid`);
  const sme = await newCustomerOrganization(d, { sme: true });
  const academic = await newCustomerOrganization(d, { sme: false, type: "institute" });
  const [internalUser, smeUser, academicUser] = await newUsers(d, 3);
  const customers = {
    internal: { userId: internalUser!, organizationId: owner.organizationId },
    sme: { userId: smeUser!, organizationId: sme },
    academic: { userId: academicUser!, organizationId: academic },
  };
  const ids: string[] = [];
  for (const p of plan) {
    const where = { organizationId: owner.organizationId, labId: p.lab === 0 ? owner.labId : secondLab.labId };
    const commissioningDate = p.commissionedMonth ? `2025-${String(p.commissionedMonth).padStart(2, "0")}-01` : undefined;
    const instrumentId = await reportingInstrument(d, where, { purchaseDate: "2020-01-01", commissioningDate });
    ids.push(instrumentId);
    if (p.closureDay !== null) await addClosure(d, instrumentId, at(p.closureDay, 0), at(p.closureDay + 2, 0), "maintenance");
    for (const u of p.uses) {
      const minutes = u.hours * 60;
      const effective = Math.floor((minutes * u.effectiveShare) / 100);
      await addBooking(d, {
        instrumentId,
        ...customers[u.customer],
        kind: u.sampleJob ? "sample_job" : "slot",
        start: at(u.day, u.startHour),
        end: at(u.day, u.startHour + u.hours),
        usage: { preparation: 0, measurement: effective, postProcessing: 0, idle: minutes - effective, samples: u.sampleJob ? u.samples : 0 },
      });
    }
  }
  await refreshSummaries({ now: NOW });
  return { organizationId: owner.organizationId, ids, sme };
}

const scope = (organizationId: string) => ({ kind: "institution" as const, organizationId });

describe("utilisation figures, for any year of use", () => {
  it("keep effective ≤ available + recorded overtime and external ≤ effective in every summary row", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(instrumentArb, { minLength: 1, maxLength: 3 }), async (plan) => {
        const { ids } = await scenario(plan);
        const rows = rowsOf<{ available: number; effective: number; external: number; overtime: number }>(
          await d.db.execute(sql`
            select available_minutes as available, effective_minutes as effective, external_minutes as external, overtime_minutes as overtime
            from usage_summaries where instrument_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`),
        );
        expect(rows.length).toBeGreaterThanOrEqual(12 * ids.length);
        for (const r of rows) {
          expect(Number(r.effective)).toBeLessThanOrEqual(Number(r.available) + Number(r.overtime));
          expect(Number(r.external)).toBeLessThanOrEqual(Number(r.effective));
        }
      }),
      { numRuns: 8 },
    );
  });

  it("roll up so that every level is the sum of its parts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(instrumentArb, { minLength: 1, maxLength: 3 }), async (plan) => {
        const { organizationId } = await scenario(plan);
        const [byInstrument, byLab, byInstitution] = [
          await utilisationReport(scope(organizationId), YEAR, "instrument"),
          await utilisationReport(scope(organizationId), YEAR, "lab"),
          await utilisationReport(scope(organizationId), YEAR, "institution"),
        ];
        for (const report of [byInstrument, byLab, byInstitution]) {
          for (const k of [...additiveKeys, "ratedMinutes"] as const) {
            const sum = report.groups.reduce((s, g) => s + g.totals[k], 0);
            expect(sum).toBeCloseTo(report.total.totals[k], 6);
          }
          expect(report.total.totals).toEqual(byInstitution.total.totals);
          // The monthly series adds up to the period's totals.
          expect(report.series.reduce((s, m) => s + m.effectiveHours, 0)).toBeCloseTo(report.total.totals.effectiveMinutes / 60, 0);
        }
        for (const lab of byLab.groups) {
          const parts = byInstrument.groups.filter((g) => g.instrument!.labId === lab.key);
          expect(parts.reduce((s, g) => s + g.totals.effectiveMinutes, 0)).toBe(lab.totals.effectiveMinutes);
          expect(parts.reduce((s, g) => s + g.totals.availableMinutes, 0)).toBe(lab.totals.availableMinutes);
        }
      }),
      { numRuns: 6 },
    );
  });

  it("are the same from the summary tables as from the raw records", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(instrumentArb, { minLength: 1, maxLength: 3 }), async (plan) => {
        const { organizationId, ids, sme } = await scenario(plan);
        const report = await utilisationReport(scope(organizationId), YEAR, "instrument");
        const sources = await loadSources(d.db, ids);
        for (const source of sources) {
          const months = instrumentMonths(source, NOW).filter((m) => m.month.startsWith("2025-"));
          const rated = { ratedAnnualHours: null, inServiceFrom: source.inServiceFrom, smeOrganizationIds: new Set([sme]) };
          const raw = instrumentPeriodFigures(months, monthsOf(YEAR), rated, defaultPolicy);
          const summarised = report.groups.find((g) => g.key === source.instrumentId)!;
          expect(summarised.totals).toEqual(raw.totals);
          expect(summarised.assessment).toEqual({ score: raw.score, grade: raw.grade, belowThreshold: raw.belowThreshold });
          const [people] = rowsOf<Record<string, string>>(
            await d.db.execute(sql`
              select count(distinct user_id) as users, count(distinct organization_id) as orgs from usage_records
              where instrument_id = ${source.instrumentId}::uuid
                and started_at >= '2025-01-01T00:00:00+08:00' and started_at < '2026-01-01T00:00:00+08:00'`),
          );
          expect(summarised.counts.usersServed).toBe(Number(people!.users));
          expect(summarised.counts.organizationsServed).toBe(Number(people!.orgs));
        }
        // And a plain aggregate over the usage records gives the same hours and people.
        const [bare] = rowsOf<Record<string, string>>(
          await d.db.execute(sql`
            select coalesce(sum(u.preparation_minutes + u.measurement_minutes + u.post_processing_minutes), 0) as effective,
              coalesce(sum(u.preparation_minutes + u.measurement_minutes + u.post_processing_minutes) filter (where u.organization_id <> i.organization_id), 0) as external,
              count(u.id) as visits, count(distinct u.user_id) as users, count(distinct u.organization_id) as orgs
            from usage_records u join instruments i on i.id = u.instrument_id
            where i.organization_id = ${organizationId}::uuid
              and u.started_at >= '2025-01-01T00:00:00+08:00' and u.started_at < '2026-01-01T00:00:00+08:00'`),
        );
        expect(report.total.totals.effectiveMinutes).toBe(Number(bare!.effective));
        expect(report.total.totals.externalMinutes).toBe(Number(bare!.external));
        expect(report.total.totals.visits).toBe(Number(bare!.visits));
        expect(report.total.counts.usersServed).toBe(Number(bare!.users));
        expect(report.total.counts.organizationsServed).toBe(Number(bare!.orgs));
      }),
      { numRuns: 6 },
    );
  });
});
