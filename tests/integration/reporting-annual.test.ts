import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { annualFormSchema } from "../../app/reporting/annual";
import { annualWorkbook } from "../../app/reporting/annual-export.server";
import { annualReport, saveAnnualReport } from "../../app/reporting/annual.server";
import { instrumentDrilldown } from "../../app/reporting/drilldown.server";
import { yearPeriod } from "../../app/reporting/period";
import { refreshSummaries } from "../../app/reporting/refresh.server";
import { parseValues } from "../../app/lib/validation";
import { useTestDatabase } from "../support/db";
import { addBooking, newCustomerOrganization, newInstitution, newUsers, reportingInstrument, sh } from "../support/reporting";

const d = await useTestDatabase();

describe("annual sharing-evaluation report", () => {
  it("fills in the platform's figures, keeps the entries and reasons, and exports both", async () => {
    const owner = await newInstitution(d);
    const sme = await newCustomerOrganization(d, { sme: true });
    const [inside, outside] = await newUsers(d, 2);
    const busy = await reportingInstrument(d, owner, { purchaseDate: "2020-01-01", ratedAnnualHours: 10 });
    const idle = await reportingInstrument(d, owner, { purchaseDate: "2020-01-01" });
    const use = (userId: string, organizationId: string, day: string, minutes: number) =>
      addBooking(d, { instrumentId: busy, userId, organizationId, start: sh(`${day} 09:00`), end: sh(`${day} 15:00`), usage: { preparation: 0, measurement: minutes, postProcessing: 0 } });
    await use(inside!, owner.organizationId, "2025-03-03", 240);
    await use(outside!, sme, "2025-04-07", 360);
    await refreshSummaries({ now: new Date("2026-01-15T00:00:00Z") });

    const report = (await annualReport(owner.organizationId, 2025))!;
    expect(report.figures).toMatchObject({ instruments: 2, openInstruments: 2, openingRate: 100, effectiveHours: 10, externalHours: 6, sharingRate: 60, smesServed: 1, usersServed: 2 });
    expect(report.report.belowThreshold.map((g) => g.key)).toEqual([idle]);

    const schema = annualFormSchema([idle]);
    expect(parseValues(schema, { satisfactionPercent: "150" })).toMatchObject({ ok: false, errors: { satisfactionPercent: "validation.tooBig" } });
    const parsed = parseValues(schema, { overallManagement: " 校级共享管理办法 ", papers: "12", [`reason-${idle}`]: "全年大修" });
    expect(parsed).toMatchObject({ ok: true, data: { entries: { overallManagement: "校级共享管理办法", papers: "12" }, reasons: { [idle]: "全年大修" } } });
    if (!parsed.ok) throw new Error("unreachable");
    await saveAnnualReport(owner.organizationId, 2025, parsed.data, inside!, null);
    await saveAnnualReport(owner.organizationId, 2025, parsed.data, inside!, null);
    const saved = (await annualReport(owner.organizationId, 2025))!;
    expect(saved.entries).toEqual({ overallManagement: "校级共享管理办法", papers: "12" });
    expect(saved.reasons).toEqual({ [idle]: "全年大修" });

    const response = await annualWorkbook(saved, "zh-CN", (key, vars) => `${key}${vars ? JSON.stringify(vars) : ""}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const texts = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(texts.some((t) => t.includes("校级共享管理办法"))).toBe(true);
    expect(workbook.worksheets[1]!.getRow(2).getCell(4).value).toBe("全年大修");
  });

  it("drills down to an instrument's months and bookings", async () => {
    const owner = await newInstitution(d);
    const [user] = await newUsers(d, 1);
    const instrumentId = await reportingInstrument(d, owner, { purchaseDate: "2020-01-01" });
    await addBooking(d, { instrumentId, userId: user!, organizationId: owner.organizationId, start: sh("2025-05-06 09:00"), end: sh("2025-05-06 11:00"), usage: { preparation: 0, measurement: 120, postProcessing: 0 } });
    await refreshSummaries({ now: new Date("2026-01-15T00:00:00Z") });
    const drill = await instrumentDrilldown(instrumentId, yearPeriod(2025));
    expect(drill.report.series).toHaveLength(12);
    expect(drill.report.series.find((m) => m.month === "2025-05")?.effectiveHours).toBe(2);
    expect(drill.bookings).toHaveLength(1);
    expect(drill.bookings[0]).toMatchObject({ effectiveMinutes: 120, external: false });
    expect((await instrumentDrilldown(instrumentId, yearPeriod(2024))).bookings).toEqual([]);
  });
});
