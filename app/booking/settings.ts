// Booking settings, opening rules and closures as lab staff enter them: defaults, conversions
// between the database's minutes and the engine's "HH:MM", and the zod schemas of the forms.
import { z } from "zod";
import { approvalModes, closureKinds, type ApprovalMode } from "../../db/schema/booking-vocabulary";
import type { BookingSettings, IsoWeekday, WeeklyRule } from "~/availability/types";

export interface InstrumentBookingSettings extends BookingSettings {
  approvalMode: ApprovalMode;
  weeklyQuotaMinutes: number | null;
  observeChineseHolidays: boolean;
  requestExpiryHours: number;
}

/** What an instrument without a booking_settings row uses (the table's column defaults). */
export const defaultBookingSettings: InstrumentBookingSettings = {
  slotMinutes: 30,
  minNoticeMinutes: 120,
  maxAdvanceDays: 60,
  minLengthMinutes: 30,
  maxLengthMinutes: 480,
  bufferMinutes: 0,
  approvalMode: "always",
  weeklyQuotaMinutes: null,
  observeChineseHolidays: true,
  requestExpiryHours: 48,
};

const clockText = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
/** Every minute of a day and "24:00", written once: a week grid converts thousands of rules. */
const clocks = Array.from({ length: 1441 }, (_, minutes) => clockText(minutes));
export const clockOf = (minutes: number) => clocks[minutes] ?? clockText(minutes);

export function minutesOf(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return h! * 60 + m!;
}

export interface RuleRow {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export const toWeeklyRule = (r: RuleRow): WeeklyRule => ({
  weekday: r.weekday as IsoWeekday,
  start: clockOf(r.startMinute),
  end: clockOf(r.endMinute),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "booking:validation.clock");
const whole = (min: number, max: number) =>
  z.coerce.number({ message: "validation.required" }).int("booking:validation.whole").min(min, "booking:validation.range").max(max, "booking:validation.range");

export const slotChoices: readonly number[] = [5, 10, 15, 20, 30, 60, 120];

/** The settings form; lengths must be whole slots so every allowed length can be offered. */
export const bookingSettingsSchema = z
  .object({
    slotMinutes: z.coerce.number().refine((n) => slotChoices.includes(n), "validation.choice"),
    minNoticeMinutes: whole(0, 43_200),
    maxAdvanceDays: whole(1, 730),
    minLengthMinutes: whole(5, 1440),
    maxLengthMinutes: whole(5, 10_080),
    bufferMinutes: whole(0, 1440),
    approvalMode: z.enum(approvalModes, { message: "validation.invalid" }),
    weeklyQuotaHours: z.preprocess((v) => (v === "" || v == null ? null : v), z.coerce.number().positive("booking:validation.range").max(168, "booking:validation.range").nullable()),
    observeChineseHolidays: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
    requestExpiryHours: whole(1, 720),
  })
  .superRefine((s, ctx) => {
    if (s.maxLengthMinutes < s.minLengthMinutes)
      ctx.addIssue({ code: "custom", path: ["maxLengthMinutes"], message: "booking:validation.maxBelowMin" });
    for (const key of ["minLengthMinutes", "maxLengthMinutes"] as const) {
      if (s[key] % s.slotMinutes !== 0)
        ctx.addIssue({ code: "custom", path: [key], message: "booking:validation.wholeSlots" });
    }
  });
export type BookingSettingsForm = z.infer<typeof bookingSettingsSchema>;

/** The weekly rules editor posts `rule.<weekday>` lines "HH:MM-HH:MM" (several per weekday). */
export const weeklyRulesSchema = z
  .array(z.object({ weekday: z.number().int().min(1).max(7), start: clock, end: clock }))
  .max(70)
  .superRefine((rules, ctx) => {
    rules.forEach((r, i) => {
      if (minutesOf(r.end) <= minutesOf(r.start))
        ctx.addIssue({ code: "custom", path: [i], message: "booking:validation.endAfterStart" });
    });
    for (let d = 1; d <= 7; d++) {
      const day = rules.filter((r) => r.weekday === d).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
      for (let i = 1; i < day.length; i++) {
        if (minutesOf(day[i]!.start) < minutesOf(day[i - 1]!.end))
          ctx.addIssue({ code: "custom", path: [rules.indexOf(day[i]!)], message: "booking:validation.overlap" });
      }
    }
  });

export const closureSchema = z
  .object({
    startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "validation.required"),
    startTime: clock,
    endDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "validation.required"),
    endTime: clock,
    kind: z.enum(closureKinds, { message: "validation.invalid" }),
    reason: z.string().trim().min(1, "validation.required").max(300, "validation.tooBig"),
  })
  .refine((c) => `${c.endDate}T${c.endTime}` > `${c.startDate}T${c.startTime}`, {
    path: ["endTime"],
    message: "booking:validation.endAfterStart",
  });
export type ClosureForm = z.infer<typeof closureSchema>;

export type WeeklyRuleInput = { weekday: number; start: string; end: string };

/**
 * Reads the weekly editor: `start-<weekday>` / `end-<weekday>` pairs, repeated for several
 * intervals a day; blank pairs are dropped and an end of "00:00" means midnight (24:00).
 * Errors are keyed `day-<weekday>` so they show on the weekday's row.
 */
export function parseWeeklyRules(
  form: FormData | URLSearchParams,
): { ok: true; data: WeeklyRuleInput[] } | { ok: false; errors: Record<string, string> } {
  const rules: WeeklyRuleInput[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const ends = form.getAll(`end-${weekday}`).map(String);
    form.getAll(`start-${weekday}`).map(String).forEach((start, i) => {
      const end = ends[i] ?? "";
      if (start === "" && end === "") return;
      rules.push({ weekday, start, end: end === "00:00" ? "24:00" : end });
    });
  }
  const parsed = weeklyRulesSchema.safeParse(rules);
  if (parsed.success) return { ok: true, data: rules };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const rule = rules[Number(issue.path[0])];
    const key = rule ? `day-${rule.weekday}` : "_form";
    errors[key] ??= issue.message.startsWith("booking:") ? issue.message : "booking:validation.clock";
  }
  return { ok: false, errors };
}
