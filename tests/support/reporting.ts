import type { Database } from "../../app/lib/db.server";
import { refreshInstruments } from "../../app/reporting/refresh.server";
import {
  availabilityRules,
  bookingEvents,
  bookings,
  bookingSettings,
  closures,
  instrumentRatings,
  instruments,
  labs,
  organizations,
  usageRecords,
} from "../../db/schema";
import type { BookingKind, BookingStatus, ClosureKind } from "../../db/schema/booking-vocabulary";
import { newUsers } from "./booking";
import { unique } from "./db";

/** A Shanghai wall-clock instant, e.g. sh("2025-03-03 09:00"). */
export const sh = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);

/** A provider institution with one lab in Shanghai time; returns their ids. */
export async function newInstitution(d: Database, options: { regionCode?: string } = {}) {
  const tag = unique();
  const [org] = await d.db
    .insert(organizations)
    .values({ slug: `report-${tag}`, nameZh: `报表测试大学${tag}`, nameEn: `Report University ${tag}`, type: "university", regionCode: options.regionCode ?? "330100", providerStatus: "accepted" })
    .returning({ id: organizations.id });
  const [lab] = await d.db
    .insert(labs)
    .values({ slug: `report-lab-${tag}`, organizationId: org!.id, nameZh: "报表测试实验室", nameEn: "Report lab" })
    .returning({ id: labs.id });
  return { organizationId: org!.id, labId: lab!.id };
}

export async function newCustomerOrganization(d: Database, options: { sme: boolean; type?: "enterprise" | "institute" }) {
  const tag = unique();
  const [org] = await d.db
    .insert(organizations)
    .values({ slug: `customer-${tag}`, nameZh: `客户${tag}`, nameEn: `Customer ${tag}`, type: options.type ?? "enterprise", isSme: options.sme })
    .returning({ id: organizations.id });
  return org!.id;
}

/** A published instrument open Monday–Friday 09:00–17:00 without the Chinese holiday calendar. */
export async function reportingInstrument(
  d: Database,
  where: { organizationId: string; labId: string },
  options: { purchaseDate?: string; commissioningDate?: string; ratedAnnualHours?: number; categoryCode?: string } = {},
) {
  const [row] = await d.db
    .insert(instruments)
    .values({
      slug: `report-test-${unique()}`,
      labId: where.labId,
      organizationId: where.organizationId,
      nameZh: "报表测试仪器",
      nameEn: "Report test instrument",
      categoryCode: options.categoryCode ?? "0101",
      status: "published",
      purchaseDate: options.purchaseDate ?? null,
      commissioningDate: options.commissioningDate ?? null,
    })
    .returning({ id: instruments.id });
  const instrumentId = row!.id;
  await d.db.insert(availabilityRules).values([1, 2, 3, 4, 5].map((weekday) => ({ instrumentId, weekday, startMinute: 540, endMinute: 1020 })));
  await d.db.insert(bookingSettings).values({ instrumentId, observeChineseHolidays: false });
  if (options.ratedAnnualHours) await d.db.insert(instrumentRatings).values({ instrumentId, ratedAnnualHours: options.ratedAnnualHours });
  return instrumentId;
}

export async function addClosure(d: Database, instrumentId: string, start: Date, end: Date, kind: ClosureKind) {
  await d.db.insert(closures).values({ instrumentId, period: { start, end }, kind });
}

export interface UseSpec {
  instrumentId: string;
  userId: string;
  organizationId: string;
  kind?: BookingKind;
  status?: BookingStatus;
  start: Date;
  end: Date;
  /** Request made this long before the start; confirmed 60 minutes after the request. */
  requestedAt?: Date;
  confirmed?: boolean;
  reportedAt?: Date;
  usage?: { preparation: number; measurement: number; postProcessing: number; idle?: number; samples?: number };
}

/** One booking with its events and, when `usage` is given, its usage record. */
export async function addBooking(d: Database, spec: UseSpec) {
  const kind = spec.kind ?? "slot";
  const status = spec.status ?? "completed";
  const requestedAt = spec.requestedAt ?? new Date(spec.start.getTime() - 86_400_000);
  const [b] = await d.db
    .insert(bookings)
    .values({
      instrumentId: spec.instrumentId,
      organizationId: spec.organizationId,
      userId: spec.userId,
      kind,
      status,
      period: kind === "slot" ? { start: spec.start, end: spec.end } : null,
      createdAt: requestedAt,
    })
    .returning({ id: bookings.id });
  const events: { toStatus: BookingStatus; fromStatus: BookingStatus | null; at: Date }[] = [{ fromStatus: null, toStatus: "requested", at: requestedAt }];
  if (spec.confirmed ?? status !== "cancelled") {
    events.push({ fromStatus: "requested", toStatus: kind === "slot" ? "confirmed" : "accepted", at: new Date(requestedAt.getTime() + 3_600_000) });
  }
  if (spec.reportedAt) events.push({ fromStatus: "in_testing", toStatus: "report_issued", at: spec.reportedAt });
  if (status !== "completed" || kind === "slot") events.push({ fromStatus: events.at(-1)!.toStatus, toStatus: status, at: spec.end });
  await d.db.insert(bookingEvents).values(events.map((e) => ({ ...e, bookingId: b!.id })));
  if (spec.usage) {
    await d.db.insert(usageRecords).values({
      bookingId: b!.id,
      instrumentId: spec.instrumentId,
      organizationId: spec.organizationId,
      userId: spec.userId,
      startedAt: spec.start,
      endedAt: spec.end,
      preparationMinutes: spec.usage.preparation,
      measurementMinutes: spec.usage.measurement,
      postProcessingMinutes: spec.usage.postProcessing,
      idleMinutes: spec.usage.idle ?? 0,
      samplesCount: spec.usage.samples ?? 0,
    });
  }
  return b!.id;
}

export { newUsers };

/**
 * Refreshes the summaries of the given instruments only, as the refresh job would: the shared test
 * database holds every other file's instruments too, and refreshing them all would make each
 * file wait on the others.
 */
export async function refreshOwnSummaries(d: Database, instrumentIds: string[], now: Date) {
  await d.db.transaction((tx) => refreshInstruments(tx, instrumentIds, now));
}
