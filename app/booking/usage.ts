// The usage record (使用记录) as lab staff fill it in at check-out: times in the lab's wall clock,
// minutes per phase, samples, operator, note. Pure: the zone and booking times are arguments.
import { z } from "zod";
import { zonedInstant } from "~/availability/free-intervals";
import { dateTimeFormat } from "~/lib/intl";
import { isWallClock } from "~/lib/validation";

const MINUTE_MS = 60_000;

/** What check-out writes into usage_records (besides the booking's own columns). */
export interface UsageInput {
  startedAt: Date;
  endedAt: Date;
  preparationMinutes: number;
  measurementMinutes: number;
  postProcessingMinutes: number;
  idleMinutes: number;
  samplesCount: number;
  operatorUserId: string;
  note: string;
}

/** Minutes use began after the booked start; 0 when on time or early. */
export function lateStartMinutes(bookedStart: Date, checkedInAt: Date): number {
  return Math.max(0, Math.floor((checkedInAt.getTime() - bookedStart.getTime()) / MINUTE_MS));
}

/** "YYYY-MM-DDTHH:MM" as the lab's wall clock shows an instant (for datetime-local inputs). */
export function wallClock(at: Date, zone: string): string {
  const parts = dateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

/**
 * The end a check-out form proposes: now, unless the booking ended on an earlier day of the lab's
 * calendar — a session nobody checked out — where now would count the days since as machine time.
 */
export function proposedEnd(bookedEnd: Date, now: Date, zone: string): string {
  const end = wallClock(bookedEnd, zone);
  const current = wallClock(now, zone);
  return current.slice(0, 10) > end.slice(0, 10) ? end : current;
}

const wall = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const minutes = (max: number) => z.coerce.number({ message: "validation.required" }).int("usage:validation.whole").min(0, "usage:validation.whole").max(max, "validation.tooBig");

/**
 * The check-out form for a lab in `zone`. Phases may not add up to more than the time between
 * start and end; idle minutes are recorded but never count as effective hours.
 */
export function usageFormSchema(zone: string) {
  const instant = z
    .string({ message: "validation.required" })
    .refine(isWallClock, "usage:validation.time")
    .transform((s) => {
      const [, y, mo, d, h, mi] = s.match(wall)!.map(Number);
      return zonedInstant({ year: y!, month: mo!, day: d! }, h! * 60 + mi!, zone);
    });
  return z
    .object({
      startedAt: instant,
      endedAt: instant,
      preparationMinutes: minutes(10_080),
      measurementMinutes: minutes(10_080),
      postProcessingMinutes: minutes(10_080),
      idleMinutes: minutes(10_080),
      samplesCount: minutes(100_000),
      operatorUserId: z.string({ message: "validation.required" }).uuid("validation.choice"),
      note: z.string().trim().max(1000, "validation.tooBig").optional().default(""),
    })
    .superRefine((u, ctx) => {
      if (!(u.endedAt > u.startedAt)) {
        ctx.addIssue({ code: "custom", path: ["endedAt"], message: "usage:validation.endAfterStart" });
        return;
      }
      const span = (u.endedAt.getTime() - u.startedAt.getTime()) / MINUTE_MS;
      if (u.preparationMinutes + u.measurementMinutes + u.postProcessingMinutes + u.idleMinutes > span)
        ctx.addIssue({ code: "custom", path: ["measurementMinutes"], message: "usage:validation.phasesTooLong" });
    });
}

/** A customer may check themselves in from 15 minutes before the booked start to 30 minutes after it (decision 027). */
export const SELF_CHECK_IN_BEFORE_MINUTES = 15;
export const SELF_CHECK_IN_AFTER_MINUTES = 30;

export function withinSelfCheckIn(bookedStart: Date, now: Date): boolean {
  const t = now.getTime() - bookedStart.getTime();
  return t >= -SELF_CHECK_IN_BEFORE_MINUTES * MINUTE_MS && t <= SELF_CHECK_IN_AFTER_MINUTES * MINUTE_MS;
}
