/**
 * RFC 4180 CSV, read and written as plain text. exceljs's CSV reader guesses types (it turns
 * "0101" into 101 and "2019-06-30" into a Date), which would change category codes and dates, so
 * CSV is handled here and exceljs is used for XLSX only.
 */

/** One field and what ends it: a quoted field, or plain text up to a comma or line break. */
const FIELD = /(?:"((?:[^"]|"")*)"|([^",\r\n]*))(,|\r\n|\n|\r|$)/y;
/** A malformed field (a quote inside plain text, text after a closing quote) is kept as typed. */
const LOOSE_FIELD = /([^,\r\n]*)(,|\r\n|\n|\r|$)/y;

/** Rows of cells; quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let at = 0;
  while (at < src.length) {
    FIELD.lastIndex = at;
    let match = FIELD.exec(src);
    let cell: string;
    if (match) {
      cell = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2];
    } else {
      LOOSE_FIELD.lastIndex = at;
      match = LOOSE_FIELD.exec(src)!;
      cell = match[1];
    }
    const end = match[match.length - 1];
    at += match[0].length;
    row.push(cell);
    if (end !== ",") {
      rows.push(row);
      row = [];
    } else if (at === src.length) {
      // A trailing comma ends the text: its empty last field.
      row.push("");
      rows.push(row);
      row = [];
    }
  }
  return rows;
}

/**
 * One CSV line with CRLF. Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a
 * leading apostrophe only when they are not plain numbers, so exported text cannot inject formulas.
 */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The UTF-8 byte order mark: without it Excel opens a UTF-8 CSV as GBK and garbles Chinese. */
export const UTF8_BOM = "\uFEFF";

/** Undoes csvLine's formula guard when a file we exported is read back. */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
