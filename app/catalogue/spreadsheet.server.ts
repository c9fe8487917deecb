import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import { csvLine, parseCsv, unguardCell, UTF8_BOM } from "./csv";
import type { ImportIssue, Sheet } from "./import";
import { checkZip } from "./zip-guard.server";

/**
 * Reading an uploaded CSV or XLSX into text cells (the format is decided by the bytes, not the file
 * name), and writing CSV (UTF-8 with BOM) and XLSX as streams.
 */

export type SpreadsheetFormat = "csv" | "xlsx";
export type ReadResult = { ok: true; format: SpreadsheetFormat; sheet: Sheet } | { ok: false; issue: ImportIssue };

const fail = (message: string, params?: ImportIssue["params"]): ReadResult => ({ ok: false, issue: { row: null, column: null, message, params } });

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readSpreadsheet(bytes: Buffer): Promise<ReadResult> {
  if (bytes.length === 0) return fail("import:error.empty");
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) return readXlsx(bytes);
  const text = decodeText(bytes);
  if (text === null) return fail("import:error.notSpreadsheet");
  const [headers = [], ...rest] = parseCsv(text);
  return {
    ok: true,
    format: "csv",
    sheet: { headers, rows: rest.map((cells, i) => ({ number: i + 2, cells: cells.map(unguardCell) })) },
  };
}

/**
 * UTF-8 (with or without BOM), else GB18030 (what Excel on Chinese Windows saves). Control bytes
 * other than tab and line breaks mean a binary file (a PDF, an old .xls, an image).
 */
function decodeText(bytes: Buffer): string | null {
  for (const encoding of ["utf-8", "gb18030"]) {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      continue;
    }
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? null : text;
  }
  return null;
}

async function readXlsx(bytes: Buffer): Promise<ReadResult> {
  const zip = checkZip(bytes);
  if (!zip.ok) return fail(zip.reason === "corrupt" ? "import:error.notSpreadsheet" : "import:error.zipBomb");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return fail("import:error.notSpreadsheet");
  }
  // The template's second sheet holds instructions; the data is on the first.
  const sheet = workbook.worksheets[0];
  if (!sheet) return fail("import:error.notSpreadsheet");
  const width = sheet.columnCount;
  const cellsOf = (row: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value));
  const rows: Sheet["rows"] = [];
  let headers: string[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) headers = cellsOf(row);
    else rows.push({ number, cells: cellsOf(row) });
  });
  return { ok: true, format: "xlsx", sheet: { headers, rows } };
}

/** Any exceljs cell value as the text a person sees; dates as YYYY-MM-DD. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  // 15 significant digits drop binary noise (0.30000000000000004) without rounding real digits.
  if (typeof value === "number") return String(Number(value.toPrecision(15)));
  if (typeof value !== "object") return String(value);
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("formula" in value || "sharedFormula" in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ("hyperlink" in value) return String(value.text);
  if ("error" in value) return "";
  return String(value);
}

export type SheetSpec = {
  sheetName: string;
  headers: string[];
  widths?: number[];
  /** Columns (0-based) formatted as text, so Excel keeps leading zeros of codes. */
  textColumns?: number[];
};

/** Streams rows as a UTF-8 CSV with a BOM. */
export function csvStream(spec: SheetSpec, rows: AsyncIterable<string[]>): ReadableStream<Uint8Array> {
  async function* lines() {
    yield UTF8_BOM + csvLine(spec.headers);
    for await (const row of rows) yield csvLine(row);
  }
  return textStream(lines());
}

/** Text chunks as a byte stream (a web Response accepts only bytes). */
export function textStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  async function* bytes() {
    for await (const chunk of chunks) yield Buffer.from(chunk, "utf8");
  }
  return Readable.toWeb(Readable.from(bytes())) as ReadableStream<Uint8Array>;
}

/** Streams rows as an XLSX workbook: each row is committed as it arrives, so memory stays flat. */
export function xlsxStream(spec: SheetSpec, rows: AsyncIterable<string[]>): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = spec.headers.map((header, i) => ({
    header,
    width: spec.widths?.[i] ?? 16,
    style: spec.textColumns?.includes(i) ? { numFmt: "@" } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  (async () => {
    for await (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error) => out.destroy(error));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** A small in-memory workbook (the template): header notes and an instructions sheet. */
export async function xlsxBuffer(
  spec: SheetSpec & { notes?: string[]; instructions: { name: string; rows: string[][] } },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = spec.headers.map((header, i) => ({
    header,
    width: spec.widths?.[i] ?? 16,
    style: spec.textColumns?.includes(i) ? { numFmt: "@" } : {},
  }));
  const headerRow = sheet.getRow(1);
  headerRow.font = { bold: true };
  spec.notes?.forEach((note, i) => {
    headerRow.getCell(i + 1).note = note;
  });
  const guide = workbook.addWorksheet(spec.instructions.name);
  spec.instructions.rows.forEach((r) => guide.addRow(r));
  guide.getRow(1).font = { bold: true };
  guide.columns.forEach((c, i) => {
    c.width = i === 0 ? 36 : 40;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
