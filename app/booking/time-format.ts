// Wall-clock formatting in the lab's zone (not the reader's): bookings happen at the instrument.
import type { Locale } from "~/lib/i18n";
import { dateTimeFormat } from "~/lib/intl";

const formatter = (kind: "clock" | "day", zone: string, locale: Locale) =>
  dateTimeFormat(locale, kind === "clock" ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone } : { dateStyle: "full", timeZone: zone });

export function formatClock(iso: string, zone: string, locale: Locale): string {
  return formatter("clock", zone, locale).format(new Date(iso));
}

/** "2026年3月3日 星期二" / "Tue, Mar 3, 2026" for the lab's calendar date of `iso`. */
export function formatDay(iso: string, zone: string, locale: Locale): string {
  return formatter("day", zone, locale).format(new Date(iso));
}

/** A calendar date "YYYY-MM-DD" as a short column heading: weekday and month/day. */
export function formatDateHeading(date: string, locale: Locale): { weekday: string; day: string } {
  const at = new Date(`${date}T12:00:00Z`);
  return {
    weekday: dateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(at),
    day: dateTimeFormat(locale, { month: "numeric", day: "numeric", timeZone: "UTC" }).format(at),
  };
}

/** A booking's period: day and start–end in the lab's zone. */
export function formatSpan(span: { start: string; end: string }, zone: string, locale: Locale): string {
  return `${formatDay(span.start, zone, locale)} ${formatClock(span.start, zone, locale)}–${formatClock(span.end, zone, locale)}`;
}
