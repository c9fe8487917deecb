import ExcelJS from "exceljs";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings, charges, reviews, users } from "../../db/schema";
import { parseQuarter } from "../../app/reporting/national";
import { nationalQuarterFile, serviceRecordHeaders } from "../../app/reporting/national.server";
import { refreshSummaries } from "../../app/reporting/refresh.server";
import { publicStatistics } from "../../app/reporting/stats.server";
import { useTestDatabase } from "../support/db";
import { addBooking, newCustomerOrganization, newInstitution, newUsers, reportingInstrument, sh } from "../support/reporting";

const d = await useTestDatabase();

/** An institution with one instrument used in 2025 Q2: a staff-operated slot with a charge and a review, a sample job without. */
async function quarterOfUse() {
  const owner = await newInstitution(d, { regionCode: "440300" });
  const sme = await newCustomerOrganization(d, { sme: true });
  const [customer] = await newUsers(d, 1);
  const instrumentId = await reportingInstrument(d, owner, { purchaseDate: "2020-01-01", categoryCode: "0102" });
  const who = { instrumentId, userId: customer!, organizationId: sme };
  const slot = await addBooking(d, { ...who, start: sh("2025-04-08 09:00"), end: sh("2025-04-08 12:30"), usage: { preparation: 15, measurement: 180, postProcessing: 15 } });
  await d.db.update(bookings).set({ serviceMode: "staff_operated" }).where(eq(bookings.id, slot));
  const job = await addBooking(d, { ...who, kind: "sample_job", start: sh("2025-05-12 10:00"), end: sh("2025-05-12 11:00"), usage: { preparation: 0, measurement: 60, postProcessing: 0, samples: 4 } });
  // Outside the quarter: must not appear.
  await addBooking(d, { ...who, start: sh("2025-07-01 09:00"), end: sh("2025-07-01 10:00"), usage: { preparation: 0, measurement: 60, postProcessing: 0 } });
  await d.db.insert(charges).values({
    bookingId: slot,
    instrumentId,
    customerOrganizationId: sme,
    providerOrganizationId: owner.organizationId,
    customerClass: "sme",
    kind: "usage",
    amountFen: 123_450,
    voucherFen: 40_000,
    lines: [],
    dueOn: "2025-05-08",
    createdAt: sh("2025-04-08 12:30"),
  });
  await d.db.insert(reviews).values({ bookingId: slot, instrumentId, labId: owner.labId, userId: customer!, rating: "satisfied" });
  const [person] = await d.db.select({ name: users.displayName }).from(users).where(eq(users.id, customer!));
  await refreshSummaries({ now: new Date("2025-12-31T00:00:00Z") });
  return { owner, instrumentId, job, applicant: person!.name };
}

describe("quarterly national-platform records", () => {
  it("writes service records with service way, amount, fee and satisfaction, and instrument records with the quarter's hours", async () => {
    const { owner, applicant } = await quarterOfUse();
    const scope = { kind: "institution" as const, organizationId: owner.organizationId };
    const file = await nationalQuarterFile(scope, "test", parseQuarter("2025-Q2")!, "xlsx");
    expect(file.filename).toBe("national-test-2025-Q2.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await new Response(file.body).arrayBuffer());
    const services = workbook.getWorksheet("服务记录")!;
    expect(services.getRow(1).values).toEqual([undefined, ...serviceRecordHeaders]);
    const rows = [2, 3].map((n) => Object.fromEntries(serviceRecordHeaders.map((h, i) => [h, services.getRow(n).getCell(i + 1).value ?? ""])));
    const byWay = Object.fromEntries(rows.map((r) => [r["服务方式"], r]));
    expect(services.rowCount).toBe(3);
    expect(byWay["技术"]).toMatchObject({ 服务开始时间: "2025-04-08 09:00", 服务量: "3.50", 计量单位: "机时", 申请人: applicant, "服务收费（元）": "1234.50", 用户满意度: "基本满意" });
    expect(byWay["委托"]).toMatchObject({ 服务量: "4", 计量单位: "样品数", "服务收费（元）": "", 用户满意度: "" });
    const records = workbook.getWorksheet("仪器记录")!;
    const header = records.getRow(1).values as string[];
    const cell = (name: string) => records.getRow(2).getCell(header.indexOf(name)).value;
    expect(records.rowCount).toBe(2);
    expect(cell("本季度有效工作机时")).toBe("4.50");
    expect(cell("本季度对外服务机时")).toBe("4.50");
    expect(cell("本季度服务次数")).toBe("2");
  });

  it("streams the same records as one JSON object", async () => {
    const { owner } = await quarterOfUse();
    const file = await nationalQuarterFile({ kind: "institution", organizationId: owner.organizationId }, "test", parseQuarter("2025-Q2")!, "json");
    const body = JSON.parse(await new Response(file.body).text());
    expect(body["季度"]).toBe("2025-Q2");
    expect(body["服务记录"]).toHaveLength(2);
    expect(body["仪器记录"]).toHaveLength(1);
  });

  it("refuses malformed quarters", () => {
    for (const bad of ["2025-Q5", "2025Q1", "1999-Q1", "2025-q1", ""]) expect(parseQuarter(bad)).toBeNull();
  });
});

describe("public statistics", () => {
  it("sums hours, SMEs, vouchers and open instruments by year, region and category without names", async () => {
    const before = await publicStatistics(2025);
    await quarterOfUse();
    const after = await publicStatistics(2025);
    const y2025 = (s: typeof after) => s.byYear.find((r) => r.key === "2025")!;
    expect(y2025(after).effectiveHours - y2025(before).effectiveHours).toBeCloseTo(5.5, 5);
    expect(y2025(after).voucherFen - y2025(before).voucherFen).toBe(40_000);
    const region = after.byRegion.find((r) => r.key === "44")!;
    expect(region.nameZh).toBe("广东");
    expect(region.smesServed).toBeGreaterThanOrEqual(1);
    expect(after.byCategory.find((r) => r.key === "01")).toBeTruthy();
    expect(after.byYear.map((r) => r.key)).toEqual(["2021", "2022", "2023", "2024", "2025"]);
    expect(JSON.stringify(after)).not.toMatch(/报表测试|客户|Report University/);
  });
});
