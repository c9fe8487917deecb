import { describe, expect, it } from "vitest";
import { csvLine, parseCsv, unguardCell, UTF8_BOM } from "../../app/catalogue/csv";
import { assignSlugs, mapHeaders, MAX_IMPORT_ROWS, validateSheet, type Sheet } from "../../app/catalogue/import";
import {
  cellsToInput,
  columnForHeader,
  columnHeader,
  instrumentColumns,
  recordToCells,
} from "../../app/catalogue/instrument-columns";
import { instrumentRecordSchema } from "../../app/catalogue/instrument-record";

const ctx = { today: "2025-06-01", categoryCodes: new Set(["01", "0101", "010101", "0102"]) };
const headers = instrumentColumns.map(columnHeader);

/** A valid row as cells in template order, with some fields changed. */
function row(change: Record<string, string> = {}): string[] {
  return instrumentColumns.map((c) => change[c.key] ?? c.example);
}

const sheet = (...rows: string[][]): Sheet => ({ headers, rows: rows.map((cells, i) => ({ number: i + 2, cells })) });

describe("template columns", () => {
  it("has one column per record field, headed in Chinese and English", () => {
    const fields = Object.keys(instrumentRecordSchema(ctx)._def.schema._def.schema.shape).sort();
    expect(instrumentColumns.map((c) => c.key).sort()).toEqual(fields);
    expect(columnHeader(instrumentColumns[0])).toBe("仪器名称（中文） / Name (zh)");
  });

  it("recognises the full header, either half, or the field key", () => {
    expect(columnForHeader("仪器名称（中文） / Name (zh)")).toBe("nameZh");
    expect(columnForHeader("仪器名称(中文)")).toBe("nameZh");
    expect(columnForHeader(" name (EN) ")).toBe("nameEn");
    expect(columnForHeader("categoryCode")).toBe("categoryCode");
    expect(columnForHeader("备注")).toBeNull();
  });

  it("accepts service modes and statuses as codes or zh/en labels", () => {
    const input = cellsToInput({ serviceModes: "送样检测、Remote service; staff_operated", operatingStatus: "Standby", shareMode: "内部共享" });
    expect(input.serviceModes).toEqual(["sample_submission", "remote", "staff_operated"]);
    expect(input.operatingStatus).toBe("standby");
    expect(input.shareMode).toBe("internal");
  });

  it("restores the leading zero a spreadsheet strips from a category code", () => {
    expect(cellsToInput({ categoryCode: "101" }).categoryCode).toBe("0101");
    expect(cellsToInput({ categoryCode: "10101" }).categoryCode).toBe("010101");
    expect(cellsToInput({ categoryCode: "0102" }).categoryCode).toBe("0102");
  });

  it("writes a record as cells that read back into the same record", () => {
    const schema = instrumentRecordSchema(ctx);
    const record = schema.parse(cellsToInput(Object.fromEntries(instrumentColumns.map((c) => [c.key, c.example]))));
    const cells = recordToCells(record);
    expect(cells[instrumentColumns.findIndex((c) => c.key === "serviceModes")]).toBe("送样检测、机组人员操作");
    expect(cells[instrumentColumns.findIndex((c) => c.key === "originalValue")]).toBe("12800000.00");
    const again = schema.parse(cellsToInput(Object.fromEntries(instrumentColumns.map((c, i) => [c.key, cells[i]]))));
    expect(again).toEqual(record);
  });
});

describe("mapHeaders", () => {
  it("names every missing required column and every unknown header", () => {
    const { issues } = mapHeaders(["仪器名称（中文）", "规格型号", "备注"]);
    expect(issues).toContainEqual({ row: null, column: null, message: "import:error.unknownColumn", params: { header: "备注", index: 3 } });
    const missing = issues.filter((i) => i.message === "import:error.missingColumn").map((i) => i.column);
    expect(missing).toEqual(["nameEn", "categoryCode", "originalValue", "serviceModes"]);
    expect(issues.find((i) => i.column === "nameEn")?.params).toEqual({ column: "仪器名称（英文） / Name (en)" });
  });

  it("refuses a column given twice", () => {
    const { issues } = mapHeaders([...headers, "Model"]);
    expect(issues).toEqual([{ row: null, column: "model", message: "import:error.duplicateColumn", params: { header: "Model" } }]);
  });
});

describe("validateSheet", () => {
  it("turns valid rows into records and skips blank rows", () => {
    const result = validateSheet(sheet(row(), headers.map(() => " "), row({ nameZh: "扫描电镜", model: "SU8010" })), ctx);
    expect(result.issues).toEqual([]);
    expect(result.rowCount).toBe(2);
    expect(result.rowNumbers).toEqual([2, 4]);
    expect(result.records[1]).toMatchObject({ nameZh: "扫描电镜", model: "SU8010", categoryCode: "0101", originalValueFen: 1_280_000_000 });
    expect(result.records[0].serviceModes).toEqual(["sample_submission", "staff_operated"]);
  });

  it("reports each bad cell with its row and column", () => {
    const result = validateSheet(
      sheet(
        row(),
        row({ nameZh: "A", originalValue: "很贵", purchaseDate: "2019-13-45" }),
        row({ nameZh: "B", categoryCode: "9999", commissioningDate: "2030-01-01", serviceModes: "上门服务" }),
        // 30 February: written as the sheet allows, but no day of the calendar.
        row({ nameZh: "C", nameEn: "", purchaseDate: "2019.2.30" }),
      ),
      ctx,
    );
    expect(result.records).toHaveLength(1);
    expect(result.issues).toEqual([
      { row: 3, column: "originalValue", message: "catalogue:validation.amount" },
      { row: 3, column: "purchaseDate", message: "catalogue:validation.date" },
      { row: 4, column: "categoryCode", message: "catalogue:validation.category" },
      { row: 4, column: "commissioningDate", message: "catalogue:validation.futureDate" },
      { row: 4, column: "serviceModes", message: "catalogue:validation.serviceMode" },
      { row: 5, column: "nameEn", message: "validation.required" },
      { row: 5, column: "purchaseDate", message: "catalogue:validation.date" },
    ]);
  });

  it("finds duplicate rows by name, model and manufacturer", () => {
    const result = validateSheet(sheet(row(), row({ nameZh: "其他" }), row({ model: " jem-2100f " })), ctx);
    expect(result.issues).toEqual([{ row: 4, column: "nameZh", message: "import:error.duplicateRow", params: { first: 2 } }]);
  });

  it("refuses a file with missing columns before looking at rows", () => {
    const result = validateSheet({ headers: headers.slice(1), rows: [{ number: 2, cells: row().slice(1) }] }, ctx);
    expect(result.records).toEqual([]);
    expect(result.issues).toEqual([{ row: null, column: "nameZh", message: "import:error.missingColumn", params: { column: headers[0] } }]);
  });

  it("refuses more rows than the limit, with the count", () => {
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ["x"]);
    const result = validateSheet(sheet(...many), ctx);
    expect(result.issues).toEqual([{ row: null, column: null, message: "import:error.tooManyRows", params: { count: 10_001, max: 10_000 } }]);
  });

  it("refuses a file with only a header", () => {
    expect(validateSheet(sheet(), ctx).issues).toEqual([{ row: null, column: null, message: "import:error.noRows" }]);
  });
});

describe("assignSlugs", () => {
  it("adds -2, -3 … after taken slugs and within the batch", () => {
    expect(assignSlugs(["lab-a", "lab-a", "lab-b", "lab-a"], ["lab-a", "lab-a-3"])).toEqual(["lab-a-2", "lab-a-4", "lab-b", "lab-a-5"]);
  });
});

describe("csv", () => {
  it("reads quoted fields with commas, quotes and line breaks, CRLF and a BOM", () => {
    const text = `${UTF8_BOM}a,"b,1","say ""hi""\r\nline 2"\r\n,x,\r\n`;
    expect(parseCsv(text)).toEqual([
      ["a", "b,1", 'say "hi"\r\nline 2'],
      ["", "x", ""],
    ]);
  });

  it("keeps a malformed field as typed instead of failing", () => {
    expect(parseCsv('a"b,"c"d,e\n"open')).toEqual([
      ['a"b', '"c"d', "e"],
      ['"open'],
    ]);
    expect(parseCsv("x,")).toEqual([["x", ""]]);
  });

  it("writes cells that read back the same, guarding formulas", () => {
    const cells = ["中文", "a,b", 'q"q', "two\nlines", "=HYPERLINK(1)", "-20 °C", "-12.5", " padded "];
    const line = csvLine(cells);
    expect(line).toContain("'=HYPERLINK(1)");
    expect(parseCsv(line)[0].map(unguardCell)).toEqual(cells);
  });
});
