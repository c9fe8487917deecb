// The annual sharing-evaluation report as an XLSX workbook: the report sheet (section, item, text)
// and the list of instruments below the threshold with their reasons. Small, so built in memory.
import ExcelJS from "exceljs";
import { annualItems } from "./annual";
import type { annualReport } from "./annual.server";

type Loaded = NonNullable<Awaited<ReturnType<typeof annualReport>>>;
type Translate = (key: string, vars?: Record<string, unknown>) => string;

export async function annualWorkbook(data: Loaded, locale: "zh-CN" | "en", t: Translate): Promise<Response> {
  const pct = (v: number | null) => (v === null ? "—" : `${v}%`);
  const name = (r: { nameZh: string; nameEn: string }) => (locale === "en" ? r.nameEn || r.nameZh : r.nameZh);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(String(data.year));
  sheet.columns = [{ width: 24 }, { width: 30 }, { width: 90 }];
  sheet.addRow([t("title", { org: name(data.organization), year: data.year })]).font = { bold: true };
  for (const section of annualItems(data.figures, data.entries, t, pct)) {
    sheet.addRow([section.label]).font = { bold: true };
    for (const item of section.items) {
      for (const line of item.figures) sheet.addRow([section.label, item.label, line]);
      for (const e of item.entries) sheet.addRow([section.label, item.label, `${e.label}: ${e.value || t("notEntered")}`]);
    }
  }
  const below = workbook.addWorksheet(t("section.below").replace(/[\\/?*[\]:]/g, " ").slice(0, 31));
  below.columns = [{ width: 36 }, { width: 12 }, { width: 18 }, { width: 60 }];
  below.addRow([t("belowCol.instrument"), t("belowCol.utilisation"), t("belowCol.unbooked"), t("belowCol.reason")]).font = { bold: true };
  for (const g of data.report.belowThreshold) {
    below.addRow([
      name(g),
      g.ratios.utilisation === null ? null : Math.round(g.ratios.utilisation * 10) / 10,
      Math.round(g.ratios.unbookedMinutes / 6) / 10,
      data.reasons[g.key] ?? "",
    ]);
  }
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return new Response(body, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="sharing-evaluation-${data.year}.xlsx"`,
    },
  });
}
