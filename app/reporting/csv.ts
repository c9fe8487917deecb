// Table exports: the same columns for CSV and XLSX, one row per group of the report.
import type { GroupRow } from "./report.server";

export interface ExportColumn {
  key: string;
  value: (row: GroupRow, locale: string) => string | number | null;
}

const h = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
const pct = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export const exportColumns: ExportColumn[] = [
  { key: "name", value: (r, l) => (l === "en" ? r.nameEn : r.nameZh) },
  { key: "instruments", value: (r) => r.instruments },
  { key: "availableHours", value: (r) => h(r.totals.availableMinutes) },
  { key: "bookedHours", value: (r) => h(r.totals.bookedMinutes) },
  { key: "effectiveHours", value: (r) => h(r.totals.effectiveMinutes) },
  { key: "externalHours", value: (r) => h(r.totals.externalMinutes) },
  { key: "ratedHours", value: (r) => h(r.totals.ratedMinutes) },
  { key: "utilisation", value: (r) => pct(r.ratios.utilisation) },
  { key: "utilisationOfAvailable", value: (r) => pct(r.ratios.utilisationOfAvailable) },
  { key: "sharingRate", value: (r) => pct(r.ratios.sharingRate) },
  { key: "unbookedHours", value: (r) => h(r.ratios.unbookedMinutes) },
  { key: "visits", value: (r) => r.totals.visits },
  { key: "usersServed", value: (r) => r.counts.usersServed },
  { key: "organizationsServed", value: (r) => r.counts.organizationsServed },
  { key: "smesServed", value: (r) => r.counts.smesServed },
  { key: "sampleJobs", value: (r) => r.totals.sampleJobs },
  { key: "samples", value: (r) => r.totals.samples },
  { key: "noShowRate", value: (r) => pct(r.ratios.noShowRate) },
  { key: "cancellationRate", value: (r) => pct(r.ratios.cancellationRate) },
  { key: "grade", value: (r) => r.assessment?.grade ?? null },
];

const cell = (v: string | number | null) => {
  const text = v === null ? "" : String(v);
  // Quote when needed; a leading = + - @ is neutralised so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof v === "string" ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function csvLine(values: (string | number | null)[]): string {
  return `${values.map(cell).join(",")}\r\n`;
}
