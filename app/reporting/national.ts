// The national sharing platform's quarterly layout: service records (服务记录) and instrument
// records (仪器记录), with its own words for service ways and satisfaction.
import type { BookingKind } from "../../db/schema/booking-vocabulary";
import type { ReviewRating } from "../../db/schema/trust";
import type { ServiceMode } from "../../db/schema/vocabulary";
import type { ReportPeriod } from "./period";
import { dateTimeFormat } from "~/lib/intl";

export const serviceWays = { self_operated: "占用", staff_operated: "技术", sample_submission: "委托", remote: "远程" } as const;

/**
 * The national service way of a booking: its service mode; a booking made before modes were
 * recorded counts as entrusted when it is a sample job and self-operated otherwise
 * (docs/decisions/075-national-service-records.md).
 */
export function serviceWay(mode: ServiceMode | null, kind: BookingKind): string {
  if (mode) return serviceWays[mode];
  return kind === "sample_job" ? serviceWays.sample_submission : serviceWays.self_operated;
}

export const satisfactionNames: Record<ReviewRating, string> = {
  very_satisfied: "非常满意",
  satisfied: "基本满意",
  neutral: "一般",
  dissatisfied: "不满意",
  very_dissatisfied: "极差",
};

/** Blank where the customer left no review. */
export const satisfaction = (rating: ReviewRating | null) => (rating ? satisfactionNames[rating] : "");

/** Sample jobs are counted in samples, everything else in effective hours (two decimals). */
export function serviceAmount(kind: BookingKind, effectiveMinutes: number, samples: number): { amount: string; unit: string } {
  if (kind === "sample_job") return { amount: String(samples), unit: "样品数" };
  return { amount: (effectiveMinutes / 60).toFixed(2), unit: "机时" };
}

/** `2026-Q1` → the quarter's months; anything else is null. */
export function parseQuarter(text: string): ReportPeriod | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return null;
  const first = (Number(match[2]) - 1) * 3 + 1;
  return { kind: "quarter", from: { year, month: first }, to: { year, month: first + 2 } };
}

export const quarterKey = (period: ReportPeriod) => `${period.from.year}-Q${(period.from.month - 1) / 3 + 1}`;

/** The quarters a picker offers: the current one and the seven before it, newest first. */
export function recentQuarters(now: Date, count = 8): string[] {
  const index = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3);
  return Array.from({ length: count }, (_, i) => `${Math.floor((index - i) / 4)}-Q${((index - i) % 4) + 1}`);
}

export interface ServiceRecordRow {
  reference: string;
  instrumentCode: string;
  instrumentName: string;
  startedAt: Date;
  endedAt: Date;
  zone: string;
  serviceMode: ServiceMode | null;
  kind: BookingKind;
  effectiveMinutes: number;
  samples: number;
  applicant: string;
  applicantUnit: string;
  feeFen: number | null;
  rating: ReviewRating | null;
}

/** Local wall-clock time in the lab's zone, `YYYY-MM-DD HH:mm`. */
export function localTime(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    dateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;

/** The service-record columns, in the national platform's order. */
export const serviceRecordFields: [string, (r: ServiceRecordRow) => string][] = [
  ["服务编号", (r) => r.reference],
  ["仪器编号", (r) => r.instrumentCode],
  ["仪器名称", (r) => r.instrumentName],
  ["服务开始时间", (r) => localTime(r.startedAt, r.zone)],
  ["服务结束时间", (r) => localTime(r.endedAt, r.zone)],
  ["服务方式", (r) => serviceWay(r.serviceMode, r.kind)],
  ["服务量", (r) => serviceAmount(r.kind, r.effectiveMinutes, r.samples).amount],
  ["计量单位", (r) => serviceAmount(r.kind, r.effectiveMinutes, r.samples).unit],
  ["申请人", (r) => r.applicant],
  ["申请单位", (r) => r.applicantUnit],
  ["服务收费（元）", (r) => (r.feeFen === null ? "" : yuan(r.feeFen))],
  ["用户满意度", (r) => satisfaction(r.rating)],
];

export interface InstrumentQuarterFigures {
  effectiveMinutes: number;
  externalMinutes: number;
  visits: number;
  samples: number;
}

/** Quarter figures appended to each instrument record (from the usage summaries). */
export const instrumentFigureFields: [string, (f: InstrumentQuarterFigures) => string][] = [
  ["本季度有效工作机时", (f) => (f.effectiveMinutes / 60).toFixed(2)],
  ["本季度对外服务机时", (f) => (f.externalMinutes / 60).toFixed(2)],
  ["本季度服务次数", (f) => String(f.visits)],
  ["本季度检测样品数", (f) => String(f.samples)],
];
