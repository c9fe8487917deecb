import { Readable } from "node:stream";
import { and, asc, eq, getTableColumns, gt, sql, type SQL } from "drizzle-orm";
import { categories, instruments, labs, organizations } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { fenToWanYuanString } from "~/lib/money";
import { acceptedValues, columnHeader, instrumentColumns, recordToCells, zhLabel } from "./instrument-columns";
import type { InstrumentRecord } from "./instrument-record";
import { csvStream, textStream, xlsxBuffer, xlsxStream, type SheetSpec } from "./spreadsheet.server";

/**
 * Exports of a lab's or an institution's instruments: in the import template's layout (so a file
 * round-trips through import) and in the national sharing platform's layout. Rows are read in
 * batches and streamed, so memory does not grow with the number of instruments.
 */

export const exportFormats = ["csv", "xlsx"] as const;
export const institutionExportFormats = ["csv", "xlsx", "national-xlsx", "national-json"] as const;
export type InstitutionExportFormat = (typeof institutionExportFormats)[number];

export type ExportScope = { labId: string } | { organizationId: string } | { platform: true };
export type ExportFile = { filename: string; contentType: string; body: ReadableStream<Uint8Array> };

const BATCH = 1_000;
const contentTypes = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  json: "application/json; charset=utf-8",
};

const scopeCondition = (scope: ExportScope): SQL =>
  "labId" in scope ? eq(instruments.labId, scope.labId) : "organizationId" in scope ? eq(instruments.organizationId, scope.organizationId) : sql`true`;

const { searchVector: _v, searchText: _t, ...instrumentFields } = getTableColumns(instruments);

/** Instruments of the scope with their lab, institution and category, a thousand per query, by id. */
export async function* instrumentRows(scope: ExportScope): AsyncGenerator<Row> {
  const db = await getDb();
  let after: string | null = null;
  for (;;) {
    const batch = await db
      .select({ instrument: instrumentFields, lab: labs, organization: organizations, categoryNameZh: categories.nameZh })
      .from(instruments)
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .innerJoin(organizations, eq(organizations.id, instruments.organizationId))
      .innerJoin(categories, eq(categories.code, instruments.categoryCode))
      .where(after ? and(scopeCondition(scope), gt(instruments.id, after)) : scopeCondition(scope))
      .orderBy(asc(instruments.id))
      .limit(BATCH);
    yield* batch;
    if (batch.length < BATCH) return;
    after = batch[batch.length - 1].instrument.id;
  }
}

export type Row = {
  instrument: Omit<typeof instruments.$inferSelect, "searchVector" | "searchText">;
  lab: typeof labs.$inferSelect;
  organization: typeof organizations.$inferSelect;
  categoryNameZh: string;
};

/** The name part of a download: the lab's or institution's slug and today's date. */
async function scopeSlug(scope: ExportScope): Promise<string> {
  const db = await getDb();
  if ("platform" in scope) return `platform-${new Date().toISOString().slice(0, 10)}`;
  const [row] =
    "labId" in scope
      ? await db.select({ slug: labs.slug }).from(labs).where(eq(labs.id, scope.labId)).limit(1)
      : await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, scope.organizationId)).limit(1);
  return `${row?.slug ?? "instruments"}-${new Date().toISOString().slice(0, 10)}`;
}

const templateSpec: SheetSpec = {
  sheetName: "仪器 Instruments",
  headers: instrumentColumns.map(columnHeader),
  widths: instrumentColumns.map((c) => c.width),
  // Everything as text: codes keep their leading zeros, dates and amounts stay as written.
  textColumns: instrumentColumns.map((_, i) => i),
};

/** The import template's layout: what import reads back into the same records. */
export async function exportInstruments(scope: ExportScope, format: "csv" | "xlsx"): Promise<ExportFile> {
  async function* cells() {
    for await (const row of instrumentRows(scope)) yield recordToCells(row.instrument as InstrumentRecord);
  }
  const stream = format === "csv" ? csvStream(templateSpec, cells()) : xlsxStream(templateSpec, cells());
  return { filename: `instruments-${await scopeSlug(scope)}.${format}`, contentType: contentTypes[format], body: stream };
}

/** The empty import template: the header row; the XLSX adds header notes and an instructions sheet. */
export async function templateFile(format: "csv" | "xlsx"): Promise<ExportFile> {
  const filename = `openlab-instruments-template.${format}`;
  if (format === "csv") {
    return { filename, contentType: contentTypes.csv, body: csvStream(templateSpec, (async function* () {})()) };
  }
  const guide = (c: (typeof instrumentColumns)[number]) => {
    const values = acceptedValues(c.key)?.map((v) => `${v.zh}（${v.code} / ${v.en}）`);
    return [columnHeader(c), c.required ? "必填 Required" : "选填 Optional", c.example, values?.join("；") ?? ""];
  };
  const buffer = await xlsxBuffer({
    ...templateSpec,
    notes: instrumentColumns.map((c) => `${c.required ? "必填 Required" : "选填 Optional"}\n示例 Example: ${c.example}`),
    instructions: {
      name: "填写说明 Instructions",
      rows: [["列 Column", "是否必填 Required", "示例 Example", "可填写的值 Accepted values"], ...instrumentColumns.map(guide)],
    },
  });
  return { filename, contentType: contentTypes.xlsx, body: Readable.toWeb(Readable.from([buffer])) as ReadableStream<Uint8Array> };
}

/** The national platform's fields, in its order, with its units (原值 in 万元, two decimals). */
const nationalFields: [string, (r: Row) => string][] = [
  ["单位内部编号", (r) => r.instrument.slug],
  ["仪器名称", (r) => r.instrument.nameZh],
  ["英文名称", (r) => r.instrument.nameEn],
  ["规格型号", (r) => r.instrument.model],
  ["生产制造商", (r) => r.instrument.manufacturer],
  ["产地国别", (r) => r.instrument.countryOfOrigin],
  ["仪器分类代码", (r) => r.instrument.categoryCode],
  ["仪器分类名称", (r) => r.categoryNameZh],
  ["原值（万元）", (r) => fenToWanYuanString(r.instrument.originalValueFen)],
  ["购置日期", (r) => r.instrument.purchaseDate ?? ""],
  ["启用日期", (r) => r.instrument.commissioningDate ?? ""],
  ["资金来源", (r) => r.instrument.fundingSource],
  ["主要技术指标", (r) => r.instrument.specifications],
  ["主要功能", (r) => r.instrument.mainFunctions],
  ["服务内容", (r) => r.instrument.serviceContent],
  ["样品要求", (r) => r.instrument.sampleRequirements],
  ["服务方式", (r) => r.instrument.serviceModes.map(zhLabel.serviceMode).join("、")],
  ["参考收费标准", (r) => r.instrument.feeText],
  ["运行状态", (r) => zhLabel.operatingStatus(r.instrument.operatingStatus)],
  ["共享模式", (r) => zhLabel.shareMode(r.instrument.shareMode)],
  ["所在单位", (r) => r.organization.nameZh],
  ["统一社会信用代码", (r) => r.organization.creditCode ?? ""],
  ["所在地区代码", (r) => r.organization.regionCode ?? ""],
  ["所属实验室", (r) => r.lab.nameZh],
  ["安放地址", (r) => r.lab.address ?? r.organization.address ?? ""],
  ["联系人", (r) => r.lab.contactName ?? ""],
  ["联系电话", (r) => r.lab.contactPhone ?? ""],
  ["电子邮箱", (r) => r.lab.contactEmail ?? ""],
];

export const nationalHeaders = nationalFields.map(([name]) => name);

/** One object per instrument keyed by the national field names. */
export function nationalRecord(row: Row): Record<string, string> {
  return Object.fromEntries(nationalFields.map(([name, value]) => [name, value(row)]));
}

export async function exportNational(organizationId: string, format: "xlsx" | "json"): Promise<ExportFile> {
  const scope = { organizationId };
  const filename = `national-${await scopeSlug(scope)}.${format}`;
  if (format === "json") {
    // A JSON array written element by element.
    async function* json() {
      let first = true;
      yield "[";
      for await (const row of instrumentRows(scope)) {
        yield `${first ? "\n" : ",\n"}${JSON.stringify(nationalRecord(row))}`;
        first = false;
      }
      yield "\n]\n";
    }
    return { filename, contentType: contentTypes.json, body: textStream(json()) };
  }
  async function* cells() {
    for await (const row of instrumentRows(scope)) yield nationalFields.map(([, value]) => value(row));
  }
  const spec: SheetSpec = {
    sheetName: "仪器信息",
    headers: nationalHeaders,
    widths: nationalHeaders.map((h) => Math.max(12, h.length * 2 + 4)),
    textColumns: nationalHeaders.map((_, i) => i),
  };
  return { filename, contentType: contentTypes.xlsx, body: xlsxStream(spec, cells()) };
}

/** The HTTP answer for an export: a streamed attachment. */
export function downloadResponse(file: ExportFile): Response {
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
