// Streamed exports of the dashboard table: CSV line by line, XLSX through exceljs's streaming writer,
// so a platform-wide table of every instrument never sits in memory as one file.
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { csvLine, exportColumns } from "./csv";
import { periodLabel, type ReportPeriod } from "./period";
import type { Grouping, ReportScope } from "./queries.server";
import { utilisationReport } from "./report.server";

export async function exportTable(
  scope: ReportScope,
  period: ReportPeriod,
  grouping: Grouping,
  format: "csv" | "xlsx",
  locale: string,
  header: (key: string) => string,
): Promise<Response> {
  const report = await utilisationReport(scope, period, grouping);
  const filename = `utilisation-${grouping}-${periodLabel(period).replace(/\s+/g, "")}.${format}`;
  const headers = exportColumns.map((c) => header(c.key));
  // The row count up front lets the page show how far a long download has come.
  const rows = { "X-Export-Rows": String(report.groups.length), "Content-Disposition": `attachment; filename="${filename}"` };
  if (format === "csv") {
    const lines = (function* () {
      yield Buffer.from(`\uFEFF${csvLine(headers)}`);
      for (const row of report.groups) yield Buffer.from(csvLine(exportColumns.map((c) => c.value(row, locale))));
    })();
    return new Response(Readable.toWeb(Readable.from(lines)) as ReadableStream, {
      headers: { "Content-Type": "text/csv; charset=utf-8", ...rows },
    });
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
  const sheet = workbook.addWorksheet(periodLabel(period));
  sheet.addRow(headers).commit();
  void (async () => {
    for (const row of report.groups) sheet.addRow(exportColumns.map((c) => c.value(row, locale))).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((err) => out.destroy(err));
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      ...rows,
    },
  });
}
