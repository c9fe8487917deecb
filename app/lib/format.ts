import type { Locale } from "./i18n";
import { dateTimeFormat, numberFormat } from "./intl";

/** Integer fen → "¥1,234.50" in the reader's locale; never a float in between except for display. */
export function formatMoney(fen: number, locale: Locale, currency = "CNY"): string {
  const yuan = Math.trunc(fen / 100);
  const cents = Math.abs(fen % 100);
  const sign = fen < 0 ? "-" : "";
  const whole = numberFormat(locale).format(Math.abs(yuan));
  const symbol = currency === "CNY" ? "¥" : `${currency} `;
  return `${sign}${symbol}${whole}.${String(cents).padStart(2, "0")}`;
}

export function formatNumber(value: number, locale: Locale, fractionDigits = 0): string {
  return numberFormat(locale, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

export function formatDate(value: Date | string, locale: Locale, timeZone = "Asia/Shanghai"): string {
  return dateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(value));
}

export function formatDateTime(value: Date | string, locale: Locale, timeZone = "Asia/Shanghai"): string {
  return dateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(value),
  );
}

/** A period, naming the date once when it starts and ends on the same day: "2026年3月3日 09:00 – 10:30". */
export function formatPeriod(period: { start: Date | string; end: Date | string }, locale: Locale, timeZone = "Asia/Shanghai"): string {
  const { start, end } = period;
  const sameDay = formatDate(start, locale, timeZone) === formatDate(end, locale, timeZone);
  const endText = sameDay ? dateTimeFormat(locale, { timeStyle: "short", timeZone }).format(new Date(end)) : formatDateTime(end, locale, timeZone);
  return `${formatDateTime(start, locale, timeZone)} – ${endText}`;
}

/** Picks the name in the reader's language, falling back to the other one. */
export function localName(record: { nameZh: string; nameEn: string }, locale: Locale): string {
  return locale === "en" ? record.nameEn || record.nameZh : record.nameZh || record.nameEn;
}

/** Shortens a name to what fits `width` pixels, counting a CJK character as a full em, others as about half. */
export function fitLabel(name: string, width: number, fontSize: number) {
  const budget = width / fontSize - 1;
  let used = 0;
  let out = "";
  for (const ch of name) {
    const w = /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.55;
    if (used + w > budget) return `${out.trimEnd()}…`;
    used += w;
    out += ch;
  }
  return out;
}
