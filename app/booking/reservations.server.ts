// The customer's side of bookings: what the booking form needs, the request as the form sends it,
// "my bookings" and one booking's detail. Routes authorise first; these only read and delegate.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { bookings, instruments, labs } from "../../db/schema";
import { bookingStatuses } from "../../db/schema/booking-vocabulary";
import { serviceModes } from "../../db/schema/vocabulary";
import type { Viewer } from "~/accounts/permissions";
import { bookingListViews, currentStatuses, historyStatuses, listCounts, MY_BOOKINGS_PAGE_SIZE, viewOf } from "./booking-list";
import { builtOnce, getDb } from "~/lib/db.server";
import { refusesFirstBooking } from "~/trust/verification";
import { firstBookingStanding } from "~/trust/verifications.server";

const slugSchema = z.string().regex(/^[a-z0-9-]{1,120}$/);

/** The organisation a viewer books for: their first customer or org_admin membership. */
export function customerOrganizationOf(viewer: NonNullable<Viewer>): string | null {
  return viewer.memberships.find((m) => m.role === "customer" || m.role === "org_admin")?.organizationId ?? null;
}

const targetQuery = builtOnce((db) =>
  db
    .select({
      id: instruments.id,
      slug: instruments.slug,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      model: instruments.model,
      serviceModes: instruments.serviceModes,
      status: instruments.status,
      zone: labs.timeZone,
      standing: firstBookingStanding(sql`${sql.placeholder("organizationId")}::uuid`),
    })
    .from(instruments)
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(instruments.slug, sql.placeholder("slug")))
    .limit(1),
);

/**
 * A published instrument as the booking form shows it, and whether the platform's first-booking
 * rule refuses the organisation (never when none is named), in one statement; null when the
 * instrument is unknown or not bookable.
 */
export async function requestTarget(slug: string, organizationId: string | null) {
  if (!slugSchema.safeParse(slug).success) return null;
  const [row] = await targetQuery(await getDb(), { slug, organizationId });
  if (!row || row.status !== "published") return null;
  const { standing, ...instrument } = row;
  return { instrument, unverified: refusesFirstBooking(standing) };
}

/** A published instrument as the booking form shows it; null when unknown or not bookable. */
export async function bookingTarget(slug: string) {
  return (await requestTarget(slug, null))?.instrument ?? null;
}

/** The chosen slot from the calendar link: two ISO instants with an offset. */
export const slotQuerySchema = z
  .object({ start: z.string().datetime({ offset: true }), end: z.string().datetime({ offset: true }) })
  .transform((s) => ({ start: new Date(s.start), end: new Date(s.end) }))
  .refine((s) => s.end.getTime() > s.start.getTime());

/** The booking form; the slot travels as hidden fields. Messages are reserve:/common i18n keys. */
export const bookingFormSchema = z.object({
  start: z.string().datetime({ offset: true, message: "reserve:validation.slot" }),
  end: z.string().datetime({ offset: true, message: "reserve:validation.slot" }),
  purpose: z.string({ message: "reserve:validation.purpose" }).trim().min(1, "reserve:validation.purpose").max(500, "validation.tooBig"),
  projectReference: z.string().trim().max(120, "validation.tooBig").optional().default(""),
  serviceMode: z.preprocess((v) => (v === "" ? undefined : v), z.enum(serviceModes, { message: "validation.invalid" }).optional()),
});

export const statusFilterSchema = z.enum(bookingStatuses).nullable().catch(null);

const listColumns = {
  id: bookings.id,
  reference: bookings.reference,
  kind: bookings.kind,
  status: bookings.status,
  period: bookings.period,
  purpose: bookings.purpose,
  projectReference: bookings.projectReference,
  serviceMode: bookings.serviceMode,
  userId: bookings.userId,
  createdAt: bookings.createdAt,
  instrument: { slug: instruments.slug, nameZh: instruments.nameZh, nameEn: instruments.nameEn, model: instruments.model },
  zone: labs.timeZone,
};

// Sample jobs hold no time on the instrument: their period is null.
const serialise = <T extends { period: { start: Date; end: Date } | null }>(row: T) => ({
  ...row,
  period: row.period ? { start: row.period.start.toISOString(), end: row.period.end.toISOString() } : null,
});

/** The list's query string: a bad status, tab or page shows the default rather than an error. */
export const myBookingsQuerySchema = z.object({
  status: statusFilterSchema,
  view: z.enum(bookingListViews).nullable().catch(null),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/**
 * One page of the viewer's own bookings in a tab (optionally of one status): under way soonest
 * first, ended latest first (a sample job by when it was asked for), and how many each tab holds.
 */
export async function myBookings(userId: string, query: z.infer<typeof myBookingsQuerySchema>) {
  const db = await getDb();
  const view = viewOf(query.status, query.view);
  const when = sql`coalesce(lower(${bookings.period}), ${bookings.createdAt})`;
  const [rows, perStatus] = await Promise.all([
    db
      .select(listColumns)
      .from(bookings)
      .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(
        and(
          eq(bookings.userId, userId),
          inArray(bookings.status, view === "current" ? currentStatuses : historyStatuses),
          query.status ? eq(bookings.status, query.status) : undefined,
        ),
      )
      .orderBy(view === "current" ? asc(when) : desc(when), bookings.id)
      .limit(MY_BOOKINGS_PAGE_SIZE)
      .offset((query.page - 1) * MY_BOOKINGS_PAGE_SIZE),
    db
      .select({ status: bookings.status, n: sql<number>`count(*)::int` })
      .from(bookings)
      .where(eq(bookings.userId, userId))
      .groupBy(bookings.status),
  ]);
  const counts = listCounts(new Map(perStatus.map((r) => [r.status, r.n])), view, query.status);
  return { view, bookings: rows.map(serialise), ...counts, pages: Math.max(1, Math.ceil(counts.total / MY_BOOKINGS_PAGE_SIZE)) };
}

/** The `rebook` parameter: a booking id, or nothing when absent or malformed. */
export const rebookParamSchema = z.string().uuid().nullable().catch(null);

/**
 * What a new request copies from one of the viewer's own slot bookings on this instrument
 * (再次预约): its reference, length, purpose, project reference and service mode; null for anybody
 * else's booking, a sample job or another instrument.
 */
export async function rebookSource(viewerId: string, bookingId: string | null, instrumentId: string) {
  if (!bookingId) return null;
  const db = await getDb();
  const [row] = await db
    .select({ id: bookings.id, reference: bookings.reference, period: bookings.period, purpose: bookings.purpose, projectReference: bookings.projectReference, serviceMode: bookings.serviceMode })
    .from(bookings)
    .where(and(eq(bookings.id, bookingId), eq(bookings.userId, viewerId), eq(bookings.instrumentId, instrumentId), eq(bookings.kind, "slot")))
    .limit(1);
  if (!row) return null;
  const { period, ...source } = row;
  return { ...source, minutes: period ? Math.round((period.end.getTime() - period.start.getTime()) / 60_000) : 0 };
}

/** One booking with its instrument; null for a bad or unknown id. */
export async function bookingDetail(bookingId: string) {
  if (!z.string().uuid().safeParse(bookingId).success) return null;
  const db = await getDb();
  const [row] = await db
    .select(listColumns)
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  return row ? serialise(row) : null;
}
