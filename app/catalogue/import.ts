import { parseValues } from "~/lib/validation";
import { cellsToInput, columnForHeader, columnHeader, instrumentColumns, requiredColumns, type ColumnKey } from "./instrument-columns";
import { instrumentRecordSchema, type InstrumentRecord, type RecordContext } from "./instrument-record";

/**
 * Turning the rows of an uploaded spreadsheet into instrument records. Pure: the file is already
 * read into text cells, and the classification and today's date are passed in.
 */

export const MAX_IMPORT_ROWS = 10_000;
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** Rows shown in the preview table; every error is listed regardless. */
export const PREVIEW_ROWS = 10;

/** The columns shown in the preview table (the guide lists all of them). */
export const previewColumns: ColumnKey[] = ["nameZh", "nameEn", "model", "manufacturer", "categoryCode", "originalValue", "serviceModes", "purchaseDate"];

/** A sheet as read from the file: the header row and the data rows, with their row numbers. */
export type Sheet = { headers: string[]; rows: { number: number; cells: string[] }[] };

/** message is an i18n key; params fill its placeholders. row/column are null for file-wide problems. */
export type ImportIssue = {
  row: number | null;
  column: ColumnKey | null;
  message: string;
  params?: Record<string, string | number>;
};

export type ImportResult = {
  rowCount: number;
  records: InstrumentRecord[];
  /** Row numbers of the records, in the same order. */
  rowNumbers: number[];
  issues: ImportIssue[];
};

/** Maps header cells to columns; reports missing required columns and headers nobody knows. */
export function mapHeaders(headers: string[]): { columns: (ColumnKey | null)[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const seen = new Set<ColumnKey>();
  const columns = headers.map((header, index) => {
    if (header.trim() === "") return null;
    const key = columnForHeader(header);
    if (!key) {
      issues.push({ row: null, column: null, message: "import:error.unknownColumn", params: { header: header.trim(), index: index + 1 } });
      return null;
    }
    if (seen.has(key)) {
      issues.push({ row: null, column: key, message: "import:error.duplicateColumn", params: { header: header.trim() } });
      return null;
    }
    seen.add(key);
    return key;
  });
  for (const key of requiredColumns) {
    const column = instrumentColumns.find((c) => c.key === key)!;
    if (!seen.has(key)) issues.push({ row: null, column: key, message: "import:error.missingColumn", params: { column: columnHeader(column) } });
  }
  return { columns, issues };
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");

/** Instruments are the same when name, model and maker match (ignoring case and spacing). */
export const duplicateKey = (r: Pick<InstrumentRecord, "nameZh" | "model" | "manufacturer">) =>
  [r.nameZh, r.model, r.manufacturer].map((s) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, "")).join("\u0001");

/** Counts the rows that hold anything, for the size limit before any validation. */
export const dataRowCount = (sheet: Sheet) => sheet.rows.filter((r) => !isBlank(r.cells)).length;

export function validateSheet(sheet: Sheet, ctx: RecordContext): ImportResult {
  const rows = sheet.rows.filter((r) => !isBlank(r.cells));
  const result: ImportResult = { rowCount: rows.length, records: [], rowNumbers: [], issues: [] };
  if (rows.length > MAX_IMPORT_ROWS) {
    result.issues.push({ row: null, column: null, message: "import:error.tooManyRows", params: { count: rows.length, max: MAX_IMPORT_ROWS } });
    return result;
  }
  const { columns, issues } = mapHeaders(sheet.headers);
  if (issues.length > 0) {
    result.issues.push(...issues);
    return result;
  }
  if (rows.length === 0) {
    result.issues.push({ row: null, column: null, message: "import:error.noRows" });
    return result;
  }
  const schema = instrumentRecordSchema(ctx);
  const firstRowOf = new Map<string, number>();
  for (const row of rows) {
    const cells: Partial<Record<ColumnKey, string>> = {};
    columns.forEach((key, i) => {
      if (key) cells[key] = row.cells[i] ?? "";
    });
    const parsed = parseValues(schema, cellsToInput(cells));
    if (!parsed.ok) {
      for (const [path, message] of Object.entries(parsed.errors)) {
        result.issues.push({ row: row.number, column: columnOfPath(path), message });
      }
      continue;
    }
    const key = duplicateKey(parsed.data);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      result.issues.push({ row: row.number, column: "nameZh", message: "import:error.duplicateRow", params: { first } });
      continue;
    }
    firstRowOf.set(key, row.number);
    result.records.push(parsed.data);
    result.rowNumbers.push(row.number);
  }
  return result;
}

/** Zod paths look like "serviceModes.1"; the column is the first part. */
function columnOfPath(path: string): ColumnKey | null {
  const head = path.split(".")[0];
  return instrumentColumns.some((c) => c.key === head) ? (head as ColumnKey) : null;
}

/**
 * Gives each base a slug not in `taken`: the base itself, then base-2, base-3… `taken` holds the
 * existing slugs that share these bases; it is not modified.
 */
export function assignSlugs(bases: string[], taken: Iterable<string>): string[] {
  const used = new Set(taken);
  const next = new Map<string, number>();
  return bases.map((base) => {
    let n = next.get(base) ?? 1;
    let slug = n === 1 ? base : `${base}-${n}`;
    while (used.has(slug)) {
      n++;
      slug = `${base}-${n}`;
    }
    used.add(slug);
    next.set(base, n + 1);
    return slug;
  });
}
