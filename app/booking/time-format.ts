// Wall-clock formatting in the lab's zone (not the reader's): bookings happen at the instrument.
import type { Locale } from "~/lib/i18n";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs far more than using one, and a calendar or an email formats dozens of times. */
function formatter(kind: "clock" | "day", zone: string, locale: Locale): Intl.DateTimeFormat {
  const key = `${kind}|${zone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "clock" ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone } : { dateStyle: "full", timeZone: zone };
    formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  }
  return f;
}

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
    weekday: new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(at),
    day: new Intl.DateTimeFormat(locale, { month: "numeric", day: "numeric", timeZone: "UTC" }).format(at),
  };
}

/** A booking's period: day and start–end in the lab's zone. */
export function formatSpan(span: { start: string; end: string }, zone: string, locale: Locale): string {
  return `${formatDay(span.start, zone, locale)} ${formatClock(span.start, zone, locale)}–${formatClock(span.end, zone, locale)}`;
}
