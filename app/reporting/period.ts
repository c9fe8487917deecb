// Reporting periods. Every figure is kept per instrument and calendar month of the lab's zone, so a
// period is a run of whole months: a month, a quarter, a year, or a custom range of months
// (docs/decisions/050-reporting-months.md).
import { z } from "zod";

export interface Month {
  year: number;
  month: number; // 1–12
}

export interface ReportPeriod {
  kind: "month" | "quarter" | "year" | "custom";
  from: Month; // first month, inclusive
  to: Month; // last month, inclusive
}

export const MAX_PERIOD_MONTHS = 120;

export const monthIndex = (m: Month) => m.year * 12 + (m.month - 1);
export const monthAt = (index: number): Month => ({ year: Math.floor(index / 12), month: (index % 12) + 1 });
export const monthKey = (m: Month) => `${m.year}-${String(m.month).padStart(2, "0")}`;
/** The `date` column value of a month: its first day. */
export const monthDate = (m: Month) => `${monthKey(m)}-01`;

export function parseMonthKey(text: string): Month | null {
  const match = /^(\d{4})-(\d{2})(?:-01)?$/.exec(text);
  if (!match) return null;
  const month = { year: Number(match[1]), month: Number(match[2]) };
  return month.month >= 1 && month.month <= 12 && month.year >= 2000 && month.year <= 2100 ? month : null;
}

export function monthsOf(period: Pick<ReportPeriod, "from" | "to">): Month[] {
  const out: Month[] = [];
  for (let i = monthIndex(period.from); i <= monthIndex(period.to); i++) out.push(monthAt(i));
  return out;
}

export const yearPeriod = (year: number): ReportPeriod => ({ kind: "year", from: { year, month: 1 }, to: { year, month: 12 } });

export const daysInMonth = (m: Month) => new Date(Date.UTC(m.year, m.month, 0)).getUTCDate();

const monthField = z.string().trim().regex(/^\d{4}-\d{2}$/, "reporting:validation.month");
const year = z.coerce.number({ message: "reporting:validation.year" }).int().min(2000, "reporting:validation.year").max(2100, "reporting:validation.year");

/** The period picker's fields (a GET query): `period` plus the fields that kind needs. */
export const periodSchema = z
  .discriminatedUnion("period", [
    z.object({ period: z.literal("month"), month: monthField }),
    z.object({ period: z.literal("quarter"), year, quarter: z.coerce.number().int().min(1).max(4) }),
    z.object({ period: z.literal("year"), year }),
    z.object({ period: z.literal("custom"), from: monthField, to: monthField }),
  ])
  .transform((v, ctx): ReportPeriod => {
    const bad = (path: string, message: string) => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
      return z.NEVER;
    };
    switch (v.period) {
      case "month": {
        const m = parseMonthKey(v.month);
        return m ? { kind: "month", from: m, to: m } : bad("month", "reporting:validation.month");
      }
      case "quarter": {
        const first = (v.quarter - 1) * 3 + 1;
        return { kind: "quarter", from: { year: v.year, month: first }, to: { year: v.year, month: first + 2 } };
      }
      case "year":
        return yearPeriod(v.year);
      case "custom": {
        const from = parseMonthKey(v.from);
        const to = parseMonthKey(v.to);
        if (!from) return bad("from", "reporting:validation.month");
        if (!to) return bad("to", "reporting:validation.month");
        if (monthIndex(to) < monthIndex(from)) return bad("to", "reporting:validation.endBeforeStart");
        if (monthIndex(to) - monthIndex(from) + 1 > MAX_PERIOD_MONTHS) return bad("to", "reporting:validation.tooLong");
        return { kind: "custom", from, to };
      }
    }
  });

/** The query string that selects `period` again (links, exports). */
export function periodQuery(period: ReportPeriod): Record<string, string> {
  switch (period.kind) {
    case "month":
      return { period: "month", month: monthKey(period.from) };
    case "quarter":
      return { period: "quarter", year: String(period.from.year), quarter: String((period.from.month - 1) / 3 + 1) };
    case "year":
      return { period: "year", year: String(period.from.year) };
    case "custom":
      return { period: "custom", from: monthKey(period.from), to: monthKey(period.to) };
  }
}

export function periodLabel(period: ReportPeriod): string {
  switch (period.kind) {
    case "month":
      return monthKey(period.from);
    case "quarter":
      return `${period.from.year} Q${(period.from.month - 1) / 3 + 1}`;
    case "year":
      return String(period.from.year);
    case "custom":
      return `${monthKey(period.from)} – ${monthKey(period.to)}`;
  }
}

/** A report year from a URL segment; null unless a whole year between 2000 and 2100. */
export function reportYear(text: string | undefined): number | null {
  const parsed = year.safeParse(text);
  return parsed.success && /^\d{4}$/.test(text ?? "") ? parsed.data : null;
}
