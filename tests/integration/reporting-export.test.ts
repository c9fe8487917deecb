import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { exportTable } from "../../app/reporting/export.server";
import { parseDashboardQuery } from "../../app/reporting/dashboard.server";
import { yearPeriod } from "../../app/reporting/period";
import { refreshSummaries } from "../../app/reporting/refresh.server";
import { useTestDatabase } from "../support/db";
import { addBooking, newInstitution, newUsers, reportingInstrument, sh } from "../support/reporting";

const d = await useTestDatabase();

describe("table exports", () => {
  it("streams the same rows as CSV and XLSX", async () => {
    const owner = await newInstitution(d);
    const [user] = await newUsers(d, 1);
    const instrumentId = await reportingInstrument(d, owner, { purchaseDate: "2020-01-01" });
    await addBooking(d, { instrumentId, userId: user!, organizationId: owner.organizationId, start: sh("2025-03-03 09:00"), end: sh("2025-03-03 12:00"), usage: { preparation: 0, measurement: 180, postProcessing: 0 } });
    await refreshSummaries({ now: new Date("2026-01-15T00:00:00Z") });
    const scope = { kind: "institution" as const, organizationId: owner.organizationId };
    const csv = await (await exportTable(scope, yearPeriod(2025), "instrument", "csv", "zh-CN", (k) => k)).text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("报表测试仪器,1,2088,3,3,0,1400,0.21");

    const xlsx = await exportTable(scope, yearPeriod(2025), "instrument", "xlsx", "zh-CN", (k) => k);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(5).value).toBe("effectiveHours");
    expect(sheet.getRow(2).getCell(5).value).toBe(3);
    expect(sheet.getRow(2).getCell(20).value).toBe("poor");
  });

  it("refuses periods that end before they start or span more than 10 years", () => {
    const q = (s: string) => parseDashboardQuery(new URLSearchParams(s), new Date("2026-01-01T00:00:00Z"));
    expect(q("period=custom&from=2025-05&to=2025-01")).toMatchObject({ ok: false, errors: { to: "reporting:validation.endBeforeStart" } });
    expect(q("period=custom&from=2010-01&to=2025-01")).toMatchObject({ ok: false, errors: { to: "reporting:validation.tooLong" } });
    expect(q("period=quarter&year=2025&quarter=2")).toMatchObject({ ok: true, period: { from: { year: 2025, month: 4 }, to: { year: 2025, month: 6 } } });
  });
});
