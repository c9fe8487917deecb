// The public week calendar of one instrument: seven columns on wide screens; on phones the days
// scroll sideways one at a time (scroll-snap), with previous/next-day links between them.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { InstrumentWeek, WeekSpan } from "~/booking/week.server";
import { formatClock, formatDateHeading } from "~/booking/time-format";
import { useLocale } from "~/root";

type Entry = { kind: "slot" | "busy"; span: WeekSpan };

export function WeekCalendar({ week, slug }: { week: InstrumentWeek; slug: string }) {
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const clock = (iso: string) => formatClock(iso, week.zone, locale);
  const first = formatDateHeading(week.days[0]!.date, locale);
  const last = formatDateHeading(week.days[6]!.date, locale);
  return (
    <div className="week-calendar">
      <p className="muted">{t("week.lead", { zone: week.zone })}</p>
      <nav className="week-nav" aria-label={t("week.title")}>
        <Link to={`?week=${week.previousWeek}`} preventScrollReset className="button button-secondary week-nav-link" rel="nofollow">
          ← {t("week.previous")}
        </Link>
        <strong className="week-range">{t("week.range", { from: first.day, to: last.day })}</strong>
        <Link to={`?week=${week.nextWeek}`} preventScrollReset className="button button-secondary week-nav-link" rel="nofollow">
          {t("week.next")} →
        </Link>
      </nav>
      {!week.hasOpeningHours ? (
        <p className="empty">{t("week.noHours")}</p>
      ) : (
        <>
          <p className="week-legend">
            <span className="week-swatch week-swatch-free" aria-hidden="true" /> {t("week.legendFree")}
            <span className="week-swatch week-swatch-busy" aria-hidden="true" /> {t("week.legendBusy")}
          </p>
          <ol className="week-days">
            {week.days.map((day, i) => {
              const heading = formatDateHeading(day.date, locale);
              const entries: Entry[] = [
                ...day.slots.map((span) => ({ kind: "slot" as const, span })),
                ...day.busy.map((span) => ({ kind: "busy" as const, span })),
              ].sort((a, b) => a.span.start.localeCompare(b.span.start));
              return (
                <li key={day.date} id={`day-${day.date}`} className="week-day">
                  <h3 className="week-day-head">
                    <span>{heading.weekday}</span> <span className="muted">{heading.day}</span>
                  </h3>
                  <p className="week-day-step">
                    {i > 0 ? <a href={`#day-${week.days[i - 1]!.date}`}>← {t("week.previousDay")}</a> : <span />}
                    {i < 6 ? <a href={`#day-${week.days[i + 1]!.date}`}>{t("week.nextDay")} →</a> : null}
                  </p>
                  {entries.length === 0 ? <p className="week-none muted">{t("week.noSlots")}</p> : null}
                  <ul className="week-entries">
                    {entries.map((e) =>
                      e.kind === "slot" ? (
                        <li key={`s${e.span.start}`}>
                          <Link
                            className="week-slot"
                            to={`/instruments/${slug}/book?start=${encodeURIComponent(e.span.start)}&end=${encodeURIComponent(e.span.end)}`}
                            aria-label={t("week.slotLabel", { day: `${heading.weekday} ${heading.day}`, from: clock(e.span.start), to: clock(e.span.end) })}
                          >
                            {clock(e.span.start)}–{clock(e.span.end)}
                          </Link>
                        </li>
                      ) : (
                        <li key={`b${e.span.start}`} className="week-busy">
                          {clock(e.span.start)}–{clock(e.span.end)} · {t("week.busy")}
                          <Link
                            className="week-waitlist"
                            to={`/waitlist?instrument=${slug}&start=${encodeURIComponent(e.span.start)}&end=${encodeURIComponent(e.span.end)}`}
                            aria-label={t("calendars:waitlist.joinLabel", { day: `${heading.weekday} ${heading.day}`, from: clock(e.span.start), to: clock(e.span.end) })}
                            rel="nofollow"
                          >
                            {t("calendars:waitlist.join")}
                          </Link>
                        </li>
                      ),
                    )}
                  </ul>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
