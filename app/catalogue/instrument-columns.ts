import { operatingStatuses, serviceModes, shareModes } from "../../db/schema/vocabulary";
import enCatalogue from "~/locales/en/catalogue.json";
import enCommon from "~/locales/en/common.json";
import zhCatalogue from "~/locales/zh-CN/catalogue.json";
import zhCommon from "~/locales/zh-CN/common.json";
import { fenToYuanString } from "~/lib/money";
import type { InstrumentRecord } from "./instrument-record";

/**
 * The column layout of the instrument spreadsheet (template, import and export): one column per
 * field of the instrument record, headed in Chinese and English. Pure, so the import page can show
 * the same guide the file uses.
 */

export type ColumnKey =
  | "nameZh" | "nameEn" | "model" | "manufacturer" | "countryOfOrigin" | "categoryCode" | "originalValue"
  | "purchaseDate" | "commissioningDate" | "fundingSource" | "specifications" | "mainFunctions"
  | "serviceContent" | "sampleRequirements" | "serviceModes" | "feeText" | "operatingStatus" | "shareMode";

export type Column = {
  key: ColumnKey;
  zh: string;
  en: string;
  required: boolean;
  example: string;
  /** Spreadsheet column width in characters. */
  width: number;
};

const column = (key: ColumnKey, zh: string, en: string, example: string, width = 16, required = false): Column => ({
  key, zh, en, required, example, width,
});

export const instrumentColumns: readonly Column[] = [
  column("nameZh", "仪器名称（中文）", "Name (zh)", "场发射透射电子显微镜", 24, true),
  column("nameEn", "仪器名称（英文）", "Name (en)", "Field-emission transmission electron microscope", 28, true),
  column("model", "规格型号", "Model", "JEM-2100F"),
  column("manufacturer", "生产制造商", "Manufacturer", "日本电子株式会社 JEOL", 20),
  column("countryOfOrigin", "产地国别", "Country of origin", "日本"),
  column("categoryCode", "仪器分类代码", "Category code", "0101", 14, true),
  column("originalValue", "原值（元）", "Original value (CNY)", "12800000.00", 14, true),
  column("purchaseDate", "购置日期", "Purchase date", "2019-06-30", 12),
  column("commissioningDate", "启用日期", "Commissioning date", "2019-09-01", 12),
  column("fundingSource", "资金来源", "Funding source", "中央财政", 14),
  column("specifications", "主要技术指标", "Key specifications", "点分辨率 0.19 nm；加速电压 200 kV", 30),
  column("mainFunctions", "主要功能", "Main functions", "材料微观形貌与晶体结构分析", 30),
  column("serviceContent", "服务内容", "Service content", "高分辨成像、电子衍射、能谱分析", 30),
  column("sampleRequirements", "样品要求", "Sample requirements", "粉末或薄膜，无磁性", 24),
  column("serviceModes", "服务方式", "Service modes", "送样检测、机组人员操作", 24, true),
  column("feeText", "参考收费标准", "Reference fees", "校外 800 元/小时", 20),
  column("operatingStatus", "运行状态", "Operating status", "正常", 12),
  column("shareMode", "共享模式", "Share mode", "外部共享", 12),
];

export const columnHeader = (c: Column) => `${c.zh} / ${c.en}`;

export const requiredColumns = instrumentColumns.filter((c) => c.required).map((c) => c.key);

/** Headers are compared without spaces, case or full-width/half-width bracket differences. */
export function normalizeHeader(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s*＊]/g, "");
}

const headerIndex = new Map<string, ColumnKey>();
for (const c of instrumentColumns) {
  for (const text of [columnHeader(c), c.zh, c.en, c.key]) headerIndex.set(normalizeHeader(text), c.key);
}

/** The column a header names: the full "中文 / English" header, either half, or the field key. */
export function columnForHeader(header: string): ColumnKey | null {
  return headerIndex.get(normalizeHeader(header)) ?? null;
}

type Vocabulary = { codes: readonly string[]; zh: Record<string, string>; en: Record<string, string> };

const vocabularies = {
  serviceModes: { codes: serviceModes, zh: zhCommon.serviceMode, en: enCommon.serviceMode },
  operatingStatus: { codes: operatingStatuses, zh: zhCatalogue.operatingStatus, en: enCatalogue.operatingStatus },
  shareMode: { codes: shareModes, zh: zhCatalogue.shareMode, en: enCatalogue.shareMode },
} satisfies Record<string, Vocabulary>;

function codeLookup(v: Vocabulary): Map<string, string> {
  const map = new Map<string, string>();
  for (const code of v.codes) {
    for (const text of [code, v.zh[code], v.en[code]]) map.set(normalizeHeader(text), code);
  }
  return map;
}

const lookups = {
  serviceModes: codeLookup(vocabularies.serviceModes),
  operatingStatus: codeLookup(vocabularies.operatingStatus),
  shareMode: codeLookup(vocabularies.shareMode),
};

/** A code or its zh/en label → the code; anything else is returned as typed so validation names it. */
const toCode = (lookup: Map<string, string>, text: string) => lookup.get(normalizeHeader(text)) ?? text.trim();

/** The accepted spellings of a vocabulary column, for the guide on the import page. */
export function acceptedValues(key: ColumnKey): { code: string; zh: string; en: string }[] | null {
  if (key !== "serviceModes" && key !== "operatingStatus" && key !== "shareMode") return null;
  const v: Vocabulary = vocabularies[key];
  return v.codes.map((code) => ({ code, zh: v.zh[code], en: v.en[code] }));
}

/** The raw input of instrumentRecordSchema for one spreadsheet row (cells already read as text). */
export function cellsToInput(cells: Partial<Record<ColumnKey, string>>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const c of instrumentColumns) {
    const text = (cells[c.key] ?? "").trim();
    switch (c.key) {
      case "serviceModes":
        input[c.key] = text
          .split(/[,，;；、|\n]/)
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => toCode(lookups.serviceModes, s));
        break;
      case "operatingStatus":
      case "shareMode":
        // Empty cells take the record's defaults (正常, 外部共享).
        if (text !== "") input[c.key] = toCode(lookups[c.key], text);
        break;
      case "categoryCode":
        // Codes have 2, 4 or 6 digits; a spreadsheet that took "0101" for a number shows 101.
        input[c.key] = /^\d{1,5}$/.test(text) && text.length % 2 === 1 ? `0${text}` : text;
        break;
      default:
        input[c.key] = text;
    }
  }
  return input;
}

/** One record as the cells of an export row, in column order: vocabulary as Chinese labels. */
export function recordToCells(r: InstrumentRecord): string[] {
  return instrumentColumns.map((c) => {
    switch (c.key) {
      case "originalValue":
        return fenToYuanString(r.originalValueFen);
      case "purchaseDate":
      case "commissioningDate":
        return r[c.key] ?? "";
      case "serviceModes":
        return r.serviceModes.map((m) => vocabularies.serviceModes.zh[m]).join("、");
      case "operatingStatus":
        return vocabularies.operatingStatus.zh[r.operatingStatus];
      case "shareMode":
        return vocabularies.shareMode.zh[r.shareMode];
      default:
        return r[c.key];
    }
  });
}

/** Chinese labels for the national export. */
export const zhLabel = {
  operatingStatus: (code: string) => (vocabularies.operatingStatus.zh as Record<string, string>)[code] ?? code,
  shareMode: (code: string) => (vocabularies.shareMode.zh as Record<string, string>)[code] ?? code,
  serviceMode: (code: string) => (vocabularies.serviceModes.zh as Record<string, string>)[code] ?? code,
};
