// Lab staff's opening hours page: weekly rules, closures and booking settings of one instrument.
// Callers have authorised the viewer for the instrument's lab.
import { and, asc, eq, sql } from "drizzle-orm";
import { availabilityRules, bookingSettings, bookings, closures, instruments, labs } from "../../db/schema";
import { liveBookingStatuses, type BookingStatus } from "../../db/schema/booking-vocabulary";
import {
  defaultBookingSettings,
  minutesOf,
  type BookingSettingsForm,
  type ClosureForm,
} from "~/booking/settings";
import { wallClock } from "~/booking/usage";
import { getDb, type Tx } from "~/lib/db.server";
import { changedFields, type Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
import { zonedInstant } from "./free-intervals";

// Spelled out: drizzle leaves a column of the selected table unqualified, and inside the subquery
// "period" would be the booking's own.
const closureColumn = (name: string) => sql`${sql.identifier("closures")}.${sql.identifier(name)}`;

/** Live bookings of the closure's instrument inside its period, soonest first, as JSON. */
const bookingsUnder = sql<{ id: string; reference: string; status: BookingStatus; start: string }[]>`coalesce((
  select json_agg(json_build_object('id', b.id, 'reference', b.reference, 'status', b.status, 'start', lower(b.period)) order by lower(b.period))
  from ${bookings} b
  where b.instrument_id = ${closureColumn("instrument_id")} and b.period && ${closureColumn("period")}
    and b.status in (${sql.join(liveBookingStatuses.map((s) => sql`${s}`), sql`, `)})), '[]'::json)`;

export async function hoursPage(instrumentId: string, now: Date) {
  const db = await getDb();
  const [head] = await db
    .select({
      instrument: { id: instruments.id, nameZh: instruments.nameZh, nameEn: instruments.nameEn, status: instruments.status },
      lab: { id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn, timeZone: labs.timeZone },
      settings: bookingSettings,
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .leftJoin(bookingSettings, eq(bookingSettings.instrumentId, instruments.id))
    .where(eq(instruments.id, instrumentId))
    .limit(1);
  if (!head) return null;
  const [rules, upcoming] = await Promise.all([
    db
      .select({ weekday: availabilityRules.weekday, startMinute: availabilityRules.startMinute, endMinute: availabilityRules.endMinute })
      .from(availabilityRules)
      .where(eq(availabilityRules.instrumentId, instrumentId))
      .orderBy(asc(availabilityRules.weekday), asc(availabilityRules.startMinute)),
    // Past closures no longer matter to anyone planning; they stay in the table for reports. Each
    // comes with the bookings it falls on: a closure doesn't cancel them, the lab does.
    db
      .select({ id: closures.id, period: closures.period, kind: closures.kind, reason: closures.reason, bookings: bookingsUnder })
      .from(closures)
      .where(and(eq(closures.instrumentId, instrumentId), sql`upper(${closures.period}) > ${now.toISOString()}::timestamptz`))
      .orderBy(sql`lower(${closures.period})`)
      .limit(200),
  ]);
  const { instrumentId: _, updatedAt: __, ...settings } = head.settings ?? { instrumentId, updatedAt: null, ...defaultBookingSettings };
  const zone = head.lab.timeZone;
  const withDays = upcoming.map((c) => ({ ...c, bookings: c.bookings.map((b) => ({ ...b, day: wallClock(new Date(b.start), zone).slice(0, 10) })) }));
  return { instrument: head.instrument, lab: head.lab, settings, rules, closures: withDays };
}

/** An audit entry about one instrument's hours or settings, filed under its institution. */
async function auditInstrumentChange(
  tx: Tx,
  instrumentId: string,
  actor: Actor,
  action: string,
  change: { before?: unknown; after?: unknown },
  entity: { type: string; id: string } = { type: "instrument", id: instrumentId },
) {
  const [owner] = await tx.select({ organizationId: instruments.organizationId }).from(instruments).where(eq(instruments.id, instrumentId));
  await recordAudit(tx, {
    actorUserId: actor.userId,
    organizationId: owner?.organizationId ?? null,
    action,
    entityType: entity.type,
    entityId: entity.id,
    ...change,
    ip: actor.ip,
  });
}

const ruleText = (r: { weekday: number; startMinute: number; endMinute: number }) =>
  `${r.weekday} ${String(Math.floor(r.startMinute / 60)).padStart(2, "0")}:${String(r.startMinute % 60).padStart(2, "0")}-${String(Math.floor(r.endMinute / 60)).padStart(2, "0")}:${String(r.endMinute % 60).padStart(2, "0")}`;

/** Replaces the weekly rules in one transaction, so readers never see half a timetable. */
export async function saveWeeklyRules(instrumentId: string, rules: { weekday: number; start: string; end: string }[], actor: Actor) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const old = await tx
      .delete(availabilityRules)
      .where(eq(availabilityRules.instrumentId, instrumentId))
      .returning({ weekday: availabilityRules.weekday, startMinute: availabilityRules.startMinute, endMinute: availabilityRules.endMinute });
    const rows = rules.map((r) => ({ instrumentId, weekday: r.weekday, startMinute: minutesOf(r.start), endMinute: minutesOf(r.end) }));
    if (rows.length > 0) await tx.insert(availabilityRules).values(rows);
    const order = (a: { weekday: number; startMinute: number }, b: { weekday: number; startMinute: number }) => a.weekday - b.weekday || a.startMinute - b.startMinute;
    const change = changedFields({ rules: old.sort(order).map(ruleText) }, { rules: [...rows].sort(order).map(ruleText) });
    if (change) await auditInstrumentChange(tx, instrumentId, actor, "hours.update", change);
  });
}

const localDate = (text: string) => {
  const [year, month, day] = text.split("-").map(Number);
  return { year: year!, month: month!, day: day! };
};

/**
 * Adds a closure entered as wall-clock dates and times in the lab's zone; null when it closes
 * nothing. Says how many live bookings it falls on, for the lab to cancel or keep.
 */
export async function addClosure(instrumentId: string, form: ClosureForm, actor: Actor): Promise<{ bookingsUnder: number } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [lab] = await tx
      .select({ zone: labs.timeZone })
      .from(instruments)
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(eq(instruments.id, instrumentId));
    const period = {
      start: zonedInstant(localDate(form.startDate), minutesOf(form.startTime), lab!.zone),
      end: zonedInstant(localDate(form.endDate), minutesOf(form.endTime), lab!.zone),
    };
    // Both ends inside one daylight-saving gap collapse to the same instant: nothing to close.
    if (period.end.getTime() <= period.start.getTime()) return null;
    const [closure] = await tx
      .insert(closures)
      .values({ instrumentId, period, kind: form.kind, reason: form.reason, createdBy: actor.userId })
      .returning({ id: closures.id, bookings: bookingsUnder });
    await auditInstrumentChange(tx, instrumentId, actor, "closure.create", { after: { period, kind: form.kind, reason: form.reason } }, { type: "closure", id: closure!.id });
    return { bookingsUnder: closure!.bookings.length };
  });
}

/** False when the closure is not this instrument's (a tampered id): nothing is deleted. */
export async function deleteClosure(instrumentId: string, closureId: string, actor: Actor): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(closures)
      .where(and(eq(closures.id, closureId), eq(closures.instrumentId, instrumentId)))
      .returning({ period: closures.period, kind: closures.kind, reason: closures.reason });
    if (!deleted) return false;
    await auditInstrumentChange(tx, instrumentId, actor, "closure.delete", { before: deleted }, { type: "closure", id: closureId });
    return true;
  });
}

export async function saveBookingSettings(instrumentId: string, form: BookingSettingsForm, now: Date, actor: Actor) {
  const { weeklyQuotaHours, ...rest } = form;
  const fields = { ...rest, weeklyQuotaMinutes: weeklyQuotaHours === null ? null : Math.round(weeklyQuotaHours * 60) };
  const values = { ...fields, updatedAt: now };
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [old] = await tx.select().from(bookingSettings).where(eq(bookingSettings.instrumentId, instrumentId)).for("update");
    await tx.insert(bookingSettings).values({ instrumentId, ...values }).onConflictDoUpdate({ target: bookingSettings.instrumentId, set: values });
    const change = changedFields(old ?? defaultBookingSettings, fields);
    if (change) await auditInstrumentChange(tx, instrumentId, actor, "settings.update", change);
  });
}
