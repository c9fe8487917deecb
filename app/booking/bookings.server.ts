// Requesting a slot: validated by the pure engine against rules, closures, live bookings and
// settings, then training and the weekly quota, all read in the same transaction; the exclusion constraint is the final judge, and losing
// to it is an ordinary answer with alternatives, never an error page.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { availabilityRules, bookingSettings, bookings, closures, creditBlocks, formatPeriod, instruments, labs, parsePeriod } from "../../db/schema";
import { liveBookingStatuses, type BookingStatus, type ClosureKind } from "../../db/schema/booking-vocabulary";
import type { ServiceMode } from "../../db/schema/vocabulary";
import { freeIntervals } from "~/availability/free-intervals";
import { availabilityInputs, liveStatuses, type AvailabilityInputs } from "~/availability/inputs.server";
import { fitsRequest, offeredSlots, type FitResult } from "~/availability/slots";
import type { Interval } from "~/availability/types";
import { builtOnce, getDb, pipelined, type Tx } from "~/lib/db.server";
import type { OpenBlock } from "~/trust/credit.server";
import { recordBookingEvent } from "./events.server";
import { qualificationOn, type QualificationRecord } from "./qualification";
import { dayOf, qualificationRecordsJson } from "./qualifications.server";
import { defaultBookingSettings, toWeeklyRule } from "./settings";
import { checkWeeklyQuota, quotaWeekOf } from "./quota";
import { refusesFirstBooking } from "~/trust/verification";
import { firstBookingStanding } from "~/trust/verifications.server";
import { prepareBookingMessages } from "./messages.server";

const DAY_MS = 86_400_000;

export interface SlotRequest {
  instrumentId: string;
  userId: string;
  /** The customer organisation the booking is for. */
  organizationId: string;
  start: Date;
  end: Date;
  purpose: string;
  projectReference?: string;
  serviceMode?: ServiceMode | null;
  /** The client's address (for the audit log). */
  ip?: string | null;
}

export interface BookingSummary {
  id: string;
  reference: string;
  status: BookingStatus;
  period: Interval;
}

export type RequestRefusal =
  | Extract<FitResult, { ok: false }>["reason"]
  | "instrument_unavailable"
  /** The instrument does not offer the requested service mode. */
  | "service_mode"
  /** The platform's first-booking rule: the organisation must be verified first. */
  | "unverified"
  /** Self-operated use needs a valid training record on the day of use. */
  | "qualification_required"
  | "qualification_expired";

export type QuotaRefusal = { ok: false; reason: "over_quota"; quota: { usedMinutes: number; remainingMinutes: number; quotaMinutes: number } };

/** A customer blocked by the credit rules: why, and since when (the page /credit tells the way out). */
export type BlockedRefusal = { ok: false; reason: "blocked"; block: { rule: "no_shows" | "late_cancellations"; count: number; blockedAt: Date } };

export type RequestSlotResult =
  | { ok: true; booking: BookingSummary; created: boolean }
  | { ok: false; reason: RequestRefusal }
  | QuotaRefusal
  | BlockedRefusal
  | { ok: false; reason: "slot_taken"; alternatives: Interval[] };

/**
 * Whether an insert lost overlapping time to a concurrent request, whichever driver (postgres.js,
 * PGlite) and wrapper (drizzle) raised it: the exclusion constraint refused it (exclusion_violation),
 * or, when two transactions inserted overlapping rows at the same instant, each waited at the
 * constraint for the other and Postgres ended this one (deadlock_detected) so the other could go on.
 */
export function lostToConcurrentBooking(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) if (e.code === "23P01" || e.code === "40P01") return true;
  return false;
}

/** Free time around the request, wide enough to offer alternatives on nearby days. */
export const windowAround = (request: Interval): Interval => ({
  start: new Date(request.start.getTime() - 7 * DAY_MS),
  end: new Date(request.end.getTime() + 14 * DAY_MS),
});

/**
 * The request's own days and one more on each side: whether a request fits depends only on the
 * free time around it (bookings whose buffer reaches in are read anyway), so judging reads and
 * computes a few days, not the three weeks the alternatives need.
 */
const judgementWindow = (request: Interval): Interval => ({
  start: new Date(request.start.getTime() - DAY_MS),
  end: new Date(request.end.getTime() + DAY_MS),
});

function freeOf(inputs: AvailabilityInputs, window: Interval, now: Date, withBusy: boolean) {
  return freeIntervals({
    rules: inputs.rules,
    closures: inputs.closures,
    busy: withBusy ? inputs.busy : [],
    window,
    zone: inputs.zone,
    holidays: { observeChineseHolidays: inputs.settings.observeChineseHolidays },
    settings: inputs.settings,
    now,
  });
}

/** The slots offered over `window` with the requested length, in order. */
function slotsLike(inputs: AvailabilityInputs, window: Interval, request: Interval, now: Date): Interval[] {
  const minutes = (request.end.getTime() - request.start.getTime()) / 60_000;
  return offeredSlots(freeOf(inputs, window, now, true), inputs.settings, inputs.zone, minutes);
}

/** The next three slots of the requested length from its start on, else the latest before it. */
function alternativesFor(inputs: AvailabilityInputs, request: Interval, now: Date): Interval[] {
  const slots = slotsLike(inputs, windowAround(request), request, now);
  const after = slots.filter((s) => s.start.getTime() >= request.start.getTime());
  const before = slots.filter((s) => s.start.getTime() < request.start.getTime());
  const fromBefore = Math.max(0, 3 - after.length);
  return [...before.slice(Math.max(0, before.length - fromBefore)), ...after.slice(0, 3)];
}

const sameLiveBookingQuery = builtOnce((tx) =>
  tx
    .select({ id: bookings.id, reference: bookings.reference, status: bookings.status, period: bookings.period })
    .from(bookings)
    .where(
      and(
        eq(bookings.instrumentId, sql.placeholder("instrumentId")),
        eq(bookings.userId, sql.placeholder("userId")),
        inArray(bookings.status, [...liveBookingStatuses]),
        sql`${bookings.period} = ${sql.placeholder("period")}::tstzrange`,
      ),
    )
    .limit(1),
);

/** The same user's identical live booking: a repeated submit returns it instead of a conflict. */
async function sameLiveBooking(tx: Tx, request: SlotRequest): Promise<BookingSummary | null> {
  const [row] = await sameLiveBookingQuery(tx, { instrumentId: request.instrumentId, userId: request.userId, period: formatPeriod(request) });
  return row ? { ...row, period: row.period! } : null;
}

/** Everything a request is judged against, read in the transaction that books it. */
export interface RequestContext {
  inputs: AvailabilityInputs;
  qualifications: QualificationRecord[];
  /** The user's live and completed bookings on the instrument in the weeks concerned (quota). */
  counted: Interval[];
  /** The user's open credit block (信用档案), which refuses every request. */
  block: OpenBlock | null;
  /** The user's live booking of exactly the requested period, if any (a repeated submit). */
  same: BookingSummary | null;
  serviceModes: ServiceMode[];
  /** The platform's first-booking rule refuses the organisation (read only when one is named). */
  unverified: boolean;
}

/** How a request names its instrument: by id (commands, series) or by the slug in the booking form's address. */
export type InstrumentKey = { id: string } | { slug: string };

/**
 * The request's whole context in ONE statement, a row for the instrument: its header, service
 * modes and settings, and as JSON its rules, its closures and live bookings over the window
 * (widened by the buffer, as liveBookingsOf), the user's training records, open credit block and
 * identical live booking, and the organisation's standing under the first-booking rule.
 * Each part is the index probe its own statement would make; what one statement instead of eight
 * saves is the per-statement work, in the server and in the database alike.
 */
const requestContextQuery = (by: "id" | "slug") =>
  builtOnce((tx) => {
    const from = sql`${sql.placeholder("from")}::timestamptz`;
    const to = sql`${sql.placeholder("to")}::timestamptz`;
    const buffer = sql`make_interval(mins => coalesce(${bookingSettings.bufferMinutes}, 0))`;
    const user = sql`${sql.placeholder("userId")}::uuid`;
    const epochMs = (bound: SQL) => sql`floor(extract(epoch from ${bound}) * 1000)::float8`;
    return tx
      .select({
        id: instruments.id,
        labId: instruments.labId,
        status: instruments.status,
        serviceModes: instruments.serviceModes,
        zone: labs.timeZone,
        settings: bookingSettings,
        rules: sql<[number, number, number][]>`(
          select coalesce(json_agg(json_build_array(r.weekday, r.start_minute, r.end_minute) order by r.weekday, r.start_minute), '[]')
          from ${availabilityRules} r where r.instrument_id = ${instruments.id})`,
        closures: sql<{ id: string; kind: ClosureKind; reason: string; start: number; end: number }[]>`(
          select coalesce(json_agg(json_build_object('id', c.id, 'kind', c.kind, 'reason', c.reason, 'start', ${epochMs(sql`lower(c.period)`)}, 'end', ${epochMs(sql`upper(c.period)`)}) order by lower(c.period)), '[]')
          from ${closures} c where c.instrument_id = ${instruments.id} and c.period && tstzrange(${from}, ${to}, '[)'))`,
        busy: sql<[number, number][]>`(
          select coalesce(json_agg(json_build_array(${epochMs(sql`lower(b.period)`)}, ${epochMs(sql`upper(b.period)`)})), '[]')
          from ${bookings} b where b.instrument_id = ${instruments.id} and b.status in (${liveStatuses})
            and b.period && tstzrange(${from} - ${buffer}, ${to} + ${buffer}, '[)'))`,
        qualifications: qualificationRecordsJson(user, instruments.id),
        block: sql<{ id: string; rule: OpenBlock["rule"]; count: number; threshold: number; blockedAt: string } | null>`(
          select json_build_object('id', k.id, 'rule', k.rule, 'count', k.count, 'threshold', k.threshold, 'blockedAt', k.blocked_at)
          from ${creditBlocks} k where k.user_id = ${user} and k.lifted_at is null limit 1)`,
        same: sql<{ id: string; reference: string; status: BookingStatus; period: string } | null>`(
          select json_build_object('id', s.id, 'reference', s.reference, 'status', s.status, 'period', s.period::text)
          from ${bookings} s where s.instrument_id = ${instruments.id} and s.user_id = ${user} and s.status in (${liveStatuses})
            and s.period = ${sql.placeholder("same")}::tstzrange limit 1)`,
        standing: firstBookingStanding(sql`${sql.placeholder("organizationId")}::uuid`),
      })
      .from(instruments)
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .leftJoin(bookingSettings, eq(bookingSettings.instrumentId, instruments.id))
      .where(eq(by === "id" ? instruments.id : instruments.slug, sql.placeholder("instrument")));
  });
const requestContextQueries = { id: requestContextQuery("id"), slug: requestContextQuery("slug") };

const intervalOf = ([start, end]: readonly [number, number]): Interval => ({ start: new Date(start), end: new Date(end) });

/**
 * Reads the context for requests by one user on one instrument within `span` (and, when `same`
 * is given, the user's live booking of exactly that period). When the instrument has a weekly
 * quota, the user's requests on it are serialised (advisory lock) so two concurrent requests
 * can't both take the last remaining minutes.
 */
export async function requestContext(tx: Tx, instrument: InstrumentKey, userId: string, span: Interval, same?: Interval, organizationId?: string): Promise<RequestContext | null> {
  const context = await readContext(tx, instrument, userId, span, same, organizationId);
  if (!context || context.inputs.settings.weeklyQuotaMinutes === null) return context;
  const instrumentId = context.inputs.id;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`quota:${userId}:${instrumentId}`}))`);
  const { zone } = context.inputs;
  const weeks = { start: quotaWeekOf(span.start, zone).start, end: quotaWeekOf(new Date(span.end.getTime() - 1), zone).end };
  const rows = await tx
    .select({ period: bookings.period })
    .from(bookings)
    .where(
      and(
        eq(bookings.instrumentId, instrumentId),
        eq(bookings.userId, userId),
        inArray(bookings.status, [...quotaStatuses]),
        sql`${bookings.period} && ${formatPeriod(weeks)}::tstzrange`,
      ),
    );
  return { ...context, counted: rows.map((r) => r.period!) };
}

/** The context's one statement, over `span` and a day on each side (the quota's bookings apart). */
async function readContext(tx: Tx, instrument: InstrumentKey, userId: string, span: Interval, same?: Interval, organizationId?: string): Promise<RequestContext | null> {
  const window = judgementWindow(span);
  const [row] = await requestContextQueries["id" in instrument ? "id" : "slug"](tx, {
    instrument: "id" in instrument ? instrument.id : instrument.slug,
    userId,
    organizationId: organizationId ?? null,
    from: window.start.toISOString(),
    to: window.end.toISOString(),
    same: same ? formatPeriod(same) : null,
  });
  if (!row) return null;
  const { instrumentId: _, updatedAt: __, ...settings } = row.settings ?? { instrumentId: row.id, updatedAt: null, ...defaultBookingSettings };
  const inputs: AvailabilityInputs = {
    id: row.id,
    labId: row.labId,
    status: row.status,
    zone: row.zone,
    settings,
    rules: row.rules.map(([weekday, startMinute, endMinute]) => toWeeklyRule({ weekday, startMinute, endMinute })),
    closures: row.closures.map((c) => ({ id: c.id, kind: c.kind, reason: c.reason, ...intervalOf([c.start, c.end]) })),
    busy: row.busy.map(intervalOf),
  };
  const block = row.block && { ...row.block, blockedAt: new Date(row.block.blockedAt) };
  const found = row.same && { ...row.same, period: parsePeriod(row.same.period) };
  return { inputs, qualifications: row.qualifications, counted: [], block, same: found, serviceModes: row.serviceModes, unverified: refusesFirstBooking(row.standing) };
}

/** Live bookings and completed use count against the weekly quota; refused, cancelled and missed time does not. */
const quotaStatuses = [...liveBookingStatuses, "completed"] as const satisfies readonly BookingStatus[];

export type Verdict = { ok: true; status: BookingStatus } | { ok: false; reason: RequestRefusal | "conflict" } | QuotaRefusal | BlockedRefusal;

/**
 * Whether a request may be booked, and in which state: fit (opening hours, settings, then
 * others' bookings), training for self-operated use, the weekly quota, then the approval mode.
 */
export function judge(context: RequestContext, request: SlotRequest, now: Date): Verdict {
  const { inputs } = context;
  if (inputs.status !== "published") return { ok: false, reason: "instrument_unavailable" };
  if (context.unverified) return { ok: false, reason: "unverified" };
  if (context.block) return { ok: false, reason: "blocked", block: { rule: context.block.rule, count: context.block.count, blockedAt: context.block.blockedAt } };
  const window = judgementWindow(request);
  const fit = fitsRequest(freeOf(inputs, window, now, true), request, inputs.settings, { now, zone: inputs.zone });
  if (!fit.ok) {
    // Free but for live bookings and their buffers: someone else holds the time.
    const open = fitsRequest(freeOf(inputs, window, now, false), request, inputs.settings, { now, zone: inputs.zone });
    return open.ok ? { ok: false, reason: "conflict" } : fit;
  }
  const qualification = qualificationOn(context.qualifications, dayOf(request.start, inputs.zone));
  if (request.serviceMode === "self_operated" && qualification.state !== "valid")
    return { ok: false, reason: qualification.state === "expired" ? "qualification_expired" : "qualification_required" };
  const quota = checkWeeklyQuota(inputs.settings.weeklyQuotaMinutes, context.counted, request, inputs.zone);
  if (!quota.ok) {
    const { ok: _, ...figures } = quota;
    return { ok: false, reason: "over_quota", quota: figures };
  }
  const mode = inputs.settings.approvalMode;
  const confirmed = mode === "never" || (mode === "qualified" && qualification.state === "valid");
  return { ok: true, status: confirmed ? "confirmed" : "requested" };
}

const insertBookingQuery = builtOnce((tx) =>
  tx
    .insert(bookings)
    .values({
      id: sql.placeholder("id"),
      instrumentId: sql.placeholder("instrumentId"),
      organizationId: sql.placeholder("organizationId"),
      userId: sql.placeholder("userId"),
      kind: "slot",
      status: sql.placeholder("status"),
      period: sql.placeholder("period"),
      purpose: sql.placeholder("purpose"),
      projectReference: sql.placeholder("projectReference"),
      serviceMode: sql.placeholder("serviceMode"),
      seriesId: sql.placeholder("seriesId"),
      createdAt: sql.placeholder("now"),
      updatedAt: sql.placeholder("now"),
    })
    .returning({ id: bookings.id, reference: bookings.reference, status: bookings.status, period: bookings.period }),
);

/**
 * Inserts a judged request with its creation event. The id is made here, so the event and its
 * reactions are sent right behind the row instead of waiting for it (one round trip, not several);
 * when the row loses to the exclusion constraint, the statements behind it fail with it.
 */
export async function insertBooking(tx: Tx, request: SlotRequest, status: BookingStatus, now: Date, seriesId: string | null = null): Promise<BookingSummary> {
  const id = randomUUID();
  // Called at once, so the insert is sent ahead of everything the event reads and writes.
  const row = insertBookingQuery(tx, {
    id,
    instrumentId: request.instrumentId,
    organizationId: request.organizationId,
    userId: request.userId,
    status,
    period: { start: request.start, end: request.end },
    purpose: request.purpose,
    projectReference: request.projectReference ?? "",
    serviceMode: request.serviceMode ?? null,
    seriesId,
    now,
  });
  const [[booking]] = await pipelined([
    row,
    recordBookingEvent(tx, { bookingId: id, kind: "slot", actorUserId: request.userId, fromStatus: null, toStatus: status, at: now, ip: request.ip }),
  ]);
  return { ...booking!, period: booking!.period! };
}

/** A request as the booking form sends it: the instrument named by the slug in the form's address. */
export type SlotRequestAt = Omit<SlotRequest, "instrumentId"> & { slug: string };

/**
 * A conflict seen in the context carries it (the holder had committed); one lost at the insert
 * does not. Either way the instrument has been read, so its id is known.
 */
type Attempt = RequestSlotResult | { ok: false; reason: "conflict"; instrumentId: string; seen?: RequestContext };

async function attempt(request: SlotRequest | SlotRequestAt, now: Date): Promise<Attempt> {
  // A reversed or invalid period is not a range Postgres can hold: refuse it before any query.
  if (!(request.end.getTime() > request.start.getTime())) return { ok: false, reason: "too_short" };
  await prepareBookingMessages();
  const db = await getDb();
  const key: InstrumentKey = "slug" in request ? { slug: request.slug } : { id: request.instrumentId };
  let instrumentId: string | undefined;
  try {
    return await db.transaction(async (tx): Promise<Attempt> => {
      // Every statement here, its foreign-key checks and its triggers' statements look rows up by
      // key: planned once per connection they cost the same, where planning each execution
      // (the connection's forced custom plans, decision 120) took about 40 % of the database's CPU
      // under the booking benchmark. Sent first, ahead of the reads below.
      const plans = tx.execute(sql`set local plan_cache_mode = auto`).then(() => undefined);
      const [, context] = await pipelined([plans, requestContext(tx, key, request.userId, request, request, request.organizationId)]);
      if (!context || context.inputs.status !== "published") return { ok: false, reason: "instrument_unavailable" };
      instrumentId = context.inputs.id;
      // The booking form offers the instrument's service modes; what it sends back is checked
      // against them here, where the instrument is first read.
      if ("slug" in request && request.serviceMode && !context.serviceModes.includes(request.serviceMode)) return { ok: false, reason: "service_mode" };
      if (context.same) return { ok: true, booking: context.same, created: false };
      const named: SlotRequest = { ...request, instrumentId };
      const verdict = judge(context, named, now);
      // Refusals other than a conflict are answers as they stand.
      if (!verdict.ok) return verdict.reason === "conflict" ? { ok: false, reason: "conflict", instrumentId, seen: context } : (verdict as Exclude<RequestSlotResult, { ok: true }>);
      return { ok: true, booking: await insertBooking(tx, named, verdict.status, now), created: true };
    });
  } catch (error) {
    if (instrumentId && lostToConcurrentBooking(error)) return { ok: false, reason: "conflict", instrumentId };
    throw error;
  }
}

/**
 * Asks for (or, when the instrument needs no approval, books) a slot on the instrument named by
 * id or by slug. One transaction; a repeated identical request returns the booking it made.
 * Losing a race answers `slot_taken` with the nearest free alternatives, read after the winner
 * committed.
 */
export async function requestSlot(request: SlotRequest | SlotRequestAt, now: Date): Promise<RequestSlotResult> {
  const result = await attempt(request, now);
  if (result.ok || result.reason !== "conflict") return result;
  const named: SlotRequest = { ...request, instrumentId: result.instrumentId };
  const db = await getDb();
  // The request's own days (one statement, as judged) usually hold its next three slots; those
  // are the alternatives three weeks would give first. Only when they hold fewer are three weeks
  // read. A conflict judged from the context already has them; one lost at the insert reads them
  // again, after the winner committed.
  const near = result.seen ?? (await readContext(db, { id: named.instrumentId }, named.userId, named, named));
  if (near?.same) return { ok: true, booking: near.same, created: false };
  const soon = near ? slotsLike(near.inputs, judgementWindow(named), named, now).filter((s) => s.start.getTime() >= named.start.getTime()) : [];
  if (soon.length >= 3) return { ok: false, reason: "slot_taken", alternatives: soon.slice(0, 3) };
  const [existing, inputsById] = await Promise.all([sameLiveBooking(db, named), availabilityInputs(db, [named.instrumentId], windowAround(named))]);
  if (existing) return { ok: true, booking: existing, created: false };
  const inputs = inputsById.get(named.instrumentId)!;
  return { ok: false, reason: "slot_taken", alternatives: alternativesFor(inputs, named, now) };
}

/** Who a booking concerns, so a route can authorise before any command: null for a bad or unknown id. */
export async function bookingScope(bookingId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bookingId)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ labId: instruments.labId, instrumentId: bookings.instrumentId, organizationId: bookings.organizationId, userId: bookings.userId })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  return row ?? null;
}
