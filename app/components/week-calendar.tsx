// The public week calendar of one instrument: seven columns on wide screens; on phones one day at
// a time (scroll-snap), with previous/next-day links between them. Every free slot is a link to
// the booking form (works without JS); with JS a drag across free slots, or the keyboard (arrows
// move, Shift+arrows extend, Enter picks), chooses a booking of several slots.
import { Link, useNavigate } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { useTranslation } from "react-i18next";
import { bookHref, cellsOf, rebookQuery, selectionOf, type Cell, type Selection } from "~/booking/week-cells";
import type { InstrumentWeek, WeekSpan } from "~/booking/week.server";
import { formatClock, formatDateHeading } from "~/booking/time-format";
import { useLocale } from "~/root";
import { dateTimeFormat } from "~/lib/intl";

type Entry = { kind: "cell"; cell: Cell; index: number } | { kind: "busy"; span: WeekSpan } | { kind: "closed"; span: WeekSpan };
/** Cells `anchor`…`focus` of one day; anchor = focus is one slot. */
type Chosen = { day: number; anchor: number; focus: number };


/**
 * A free slot's link: the default-length booking from it, or, near the span's end, the last one
 * that fits. A longer length (rebooking) would give several cells that same last link, so there
 * they stay plain free cells.
 */
function linkSpan(cell: Cell, cells: Cell[], defaultMinutes: number, fallBack: boolean) {
  if (cell.slotEnd) return { start: cell.start, end: cell.slotEnd };
  if (!fallBack) return null;
  const runEnd = cells.filter((c) => c.run === cell.run).at(-1)!.end;
  const start = new Date(Date.parse(runEnd) - defaultMinutes * 60_000).toISOString();
  return cells.some((c) => c.run === cell.run && c.start === start) ? { start, end: runEnd } : null;
}

/** `rebook`: the booking being repeated (再次预约): the length the slot links book (whole slots, within limits) and the id they carry. */
export function WeekCalendar({ week, slug, rebook }: { week: InstrumentWeek; slug: string; rebook?: { id: string; minutes: number } | null }) {
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const navigate = useNavigate();
  const clock = (iso: string) => formatClock(iso, week.zone, locale);
  const anyNationalDay = week.days.some((day) => day.nationalDay !== null);
  const first = formatDateHeading(week.days[0]!.date, locale);
  const last = formatDateHeading(week.days[6]!.date, locale);
  const linkMinutes = rebook?.minutes ?? week.defaultMinutes;
  const cellsByDay = useMemo(() => week.days.map((day) => cellsOf(day.free, week.slotMinutes, linkMinutes)), [week, linkMinutes]);
  const limits = { minMinutes: week.defaultMinutes, maxMinutes: week.maxMinutes };
  const [chosen, setChosen] = useState<Chosen | null>(null);
  // Roving focus only once scripts run: without them every slot link stays in the tab order.
  const [scripted, setScripted] = useState(false);
  const dragging = useRef(false);
  const grid = useRef<HTMLOListElement>(null);
  useEffect(() => setScripted(true), []);
  useEffect(() => setChosen(null), [week]);
  // On phones the days scroll sideways one at a time: open on the week's first day with a free
  // slot, not on one that has none (today after hours, a weekend).
  useEffect(() => {
    const days = grid.current;
    if (!days || days.scrollWidth <= days.clientWidth) return;
    const firstFree = cellsByDay.findIndex((cells) => cells.some((c) => c.slotEnd));
    days.scrollTo({ left: Math.max(0, firstFree) * days.clientWidth, behavior: "instant" });
  }, [cellsByDay]);
  useEffect(() => {
    const stop = () => (dragging.current = false);
    window.addEventListener("pointerup", stop);
    return () => window.removeEventListener("pointerup", stop);
  }, []);

  const selection: Selection | null = chosen ? selectionOf(cellsByDay[chosen.day]!, chosen.anchor, chosen.focus, limits) : null;
  const multi = chosen !== null && chosen.anchor !== chosen.focus;
  const roving = chosen ?? firstCell(cellsByDay);
  const isSelected = (day: number, index: number) =>
    chosen !== null && chosen.day === day && index >= Math.min(chosen.anchor, chosen.focus) && index <= Math.max(chosen.anchor, chosen.focus);

  const focusCell = (day: number, index: number) =>
    grid.current?.querySelector<HTMLElement>(`[data-day="${day}"][data-index="${index}"]`)?.focus();
  const move = (next: Chosen) => {
    setChosen(next);
    focusCell(next.day, next.focus);
  };

  function onKeyDown(event: KeyboardEvent) {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (!target) return;
    const day = Number(target.dataset.day);
    const index = Number(target.dataset.index);
    const current = chosen && chosen.day === day && chosen.focus === index ? chosen : { day, anchor: index, focus: index };
    const cells = cellsByDay[day]!;
    const vertical = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    const horizontal = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (vertical !== 0) {
      event.preventDefault();
      const to = index + vertical;
      if (to < 0 || to >= cells.length) return;
      if (!event.shiftKey) return move({ day, anchor: to, focus: to });
      // Extending stays within one free span: a booking can't cover busy or closed time.
      if (selectionOf(cells, current.anchor, to, limits)) move({ ...current, focus: to });
    } else if (horizontal !== 0 && !event.shiftKey) {
      event.preventDefault();
      for (let d = day + horizontal; d >= 0 && d < 7; d += horizontal) {
        const other = cellsByDay[d]!;
        if (other.length === 0) continue;
        const to = nearestByClock(other, cells[index]!.start, week.zone);
        return move({ day: d, anchor: to, focus: to });
      }
    } else if (event.key === "Enter" && current.anchor !== current.focus) {
      event.preventDefault();
      const picked = selectionOf(cells, current.anchor, current.focus, limits);
      if (picked?.fits === "ok") navigate(bookHref(slug, picked, rebook?.id));
    } else if (event.key === "Escape") {
      setChosen(null);
    }
  }

  function cellAt(event: PointerEvent) {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-index]");
    return target ? { day: Number(target.dataset.day), index: Number(target.dataset.index), target } : null;
  }

  function onPointerDown(event: PointerEvent) {
    const at = cellAt(event);
    if (!at || event.pointerType !== "mouse" || event.button !== 0) return;
    // No text selection or link drag: the drag chooses slots.
    event.preventDefault();
    dragging.current = true;
    at.target.focus();
    setChosen({ day: at.day, anchor: at.index, focus: at.index });
  }

  function onPointerOver(event: PointerEvent) {
    const at = cellAt(event);
    if (!dragging.current || !at || !chosen || at.day !== chosen.day) return;
    if (selectionOf(cellsByDay[at.day]!, chosen.anchor, at.index, limits)) {
      setChosen({ ...chosen, focus: at.index });
      at.target.focus();
    }
  }

  const dayLabel = (date: string) => {
    const h = formatDateHeading(date, locale);
    return `${h.weekday} ${h.day}`;
  };

  return (
    <div className="week-calendar">
      <p className="muted">{t("week.lead", { zone: week.zone })}</p>
      <nav className="week-nav" aria-label={t("week.title")}>
        <Link to={`?week=${week.previousWeek}${rebookQuery(rebook?.id)}`} preventScrollReset className="button button-secondary week-nav-link" rel="nofollow">
          ← {t("week.previous")}
        </Link>
        <strong className="week-range">{t("week.range", { from: first.day, to: last.day })}</strong>
        <Link to={`?week=${week.nextWeek}${rebookQuery(rebook?.id)}`} preventScrollReset className="button button-secondary week-nav-link" rel="nofollow">
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
          {/* A finger taps a slot's link; dragging and the arrow keys need a mouse or a keyboard. */}
          <p className="week-help muted" id="week-help">
            <span className="week-help-fine">{t("week.selectHelp")}</span>
            <span className="week-help-coarse">{t("week.tapHelp")}</span>
          </p>
          <ol className="week-days" ref={grid} onKeyDown={onKeyDown} onPointerDown={onPointerDown} onPointerOver={onPointerOver}>
            {week.days.map((day, d) => {
              const heading = formatDateHeading(day.date, locale);
              const cells = cellsByDay[d]!;
              const entries: Entry[] = [
                ...cells.map((cell, index) => ({ kind: "cell" as const, cell, index })),
                ...day.busy.map((span) => ({ kind: "busy" as const, span })),
                ...day.closed.map((span) => ({ kind: "closed" as const, span })),
              ].sort((a, b) => (a.kind === "cell" ? a.cell.start : a.span.start).localeCompare(b.kind === "cell" ? b.cell.start : b.span.start));
              return (
                <li key={day.date} id={`day-${day.date}`} className="week-day">
                  <h3 className="week-day-head">
                    <span>{heading.weekday}</span> <span className="muted">{heading.day}</span>
                    {day.nationalDay ? (
                      <span className={`week-national week-national-${day.nationalDay.kind}`}>
                        {day.nationalDay.kind === "holiday"
                          ? t("week.holiday", { name: locale === "en" ? day.nationalDay.nameEn : day.nationalDay.nameZh })
                          : t("week.makeupDay")}
                      </span>
                    ) : anyNationalDay ? (
                      // Keeps the day heads of a holiday week one height, so their slots line up.
                      <span className="week-national" aria-hidden="true">{"\u00a0"}</span>
                    ) : null}
                  </h3>
                  <p className="week-day-step">
                    {d > 0 ? <a href={`#day-${week.days[d - 1]!.date}`}>← {t("week.previousDay")}</a> : <span />}
                    {d < 6 ? <a href={`#day-${week.days[d + 1]!.date}`}>{t("week.nextDay")} →</a> : null}
                  </p>
                  {cells.length === 0 && day.busy.length === 0 && day.closed.length === 0 ? <p className="week-none muted">{t("week.noSlots")}</p> : null}
                  <ul className="week-entries">
                    {entries.map((e) => {
                      if (e.kind === "closed") {
                        // Midnight to midnight: the whole day is closed.
                        const allDay = clock(e.span.start) === "00:00" && clock(e.span.end) === "00:00";
                        return (
                          <li key={`x${e.span.start}`} className="week-closed">
                            {allDay ? t("week.closedAllDay") : `${clock(e.span.start)}–${clock(e.span.end)} · ${t("week.closed")}`}
                          </li>
                        );
                      }
                      if (e.kind === "busy")
                        return (
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
                        );
                      const target = linkSpan(e.cell, cells, linkMinutes, !rebook);
                      const selected = isSelected(d, e.index);
                      const common = {
                        "data-day": d,
                        "data-index": e.index,
                        tabIndex: scripted ? (roving?.day === d && roving.focus === e.index ? 0 : -1) : undefined,
                      };
                      return (
                        <li key={`c${e.cell.start}`}>
                          {target ? (
                            <Link
                              {...common}
                              className={`week-slot${selected ? " week-slot-selected" : ""}`}
                              to={bookHref(slug, target, rebook?.id)}
                              draggable={false}
                              aria-label={t("week.slotLabel", { day: `${heading.weekday} ${heading.day}`, from: clock(target.start), to: clock(target.end) })}
                              aria-describedby="week-help"
                              aria-current={selected && multi ? "true" : undefined}
                            >
                              {clock(target.start)}–{clock(target.end)}
                            </Link>
                          ) : (
                            <span {...common} className="week-slot week-slot-short">
                              {clock(e.cell.start)}–{clock(e.cell.end)}
                            </span>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                </li>
              );
            })}
          </ol>
          <div className="week-selection" role="status" aria-live="polite">
            {selection && multi ? (
              <>
                <span>
                  {t("week.selected", { day: dayLabel(week.days[chosen!.day]!.date), from: clock(selection.start), to: clock(selection.end), minutes: selection.minutes })}
                </span>
                {selection.fits === "ok" ? (
                  <Link className="button" to={bookHref(slug, selection, rebook?.id)} id="week-book-selection">
                    {t("week.bookSelection")}
                  </Link>
                ) : (
                  <strong>{t(selection.fits === "too_short" ? "week.selectionTooShort" : "week.selectionTooLong", { minutes: selection.fits === "too_short" ? week.defaultMinutes : week.maxMinutes })}</strong>
                )}
              </>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}

function firstCell(cellsByDay: Cell[][]): Chosen | null {
  const day = cellsByDay.findIndex((cells) => cells.length > 0);
  return day < 0 ? null : { day, anchor: 0, focus: 0 };
}

/** The cell of another day closest to the same wall-clock time (arrow left/right). */
function nearestByClock(cells: Cell[], start: string, zone: string): number {
  const minutes = (iso: string) => {
    const [h, m] = dateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(new Date(iso)).split(":");
    return Number(h) * 60 + Number(m);
  };
  const wanted = minutes(start);
  let best = 0;
  cells.forEach((c, i) => {
    if (Math.abs(minutes(c.start) - wanted) < Math.abs(minutes(cells[best]!.start) - wanted)) best = i;
  });
  return best;
}
