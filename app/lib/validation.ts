import { z } from "zod";

/**
 * Zod messages are i18n keys (`validation.*`), translated next to the field. Issues without an
 * explicit message get a generic key from their code.
 */
const errorMap: z.ZodErrorMap = (issue, ctx) => {
  // A message the schema itself set (an i18n key) wins over the generic one.
  if (/^([\w-]+:)?validation\./.test(ctx.defaultError)) return { message: ctx.defaultError };
  switch (issue.code) {
    case "invalid_type":
      return { message: issue.received === "undefined" || issue.received === "null" ? "validation.required" : "validation.invalid" };
    case "too_small":
      return { message: issue.type === "string" && issue.minimum === 1 ? "validation.required" : "validation.tooSmall" };
    case "too_big":
      return { message: "validation.tooBig" };
    case "invalid_string":
      return { message: issue.validation === "email" ? "validation.email" : "validation.invalid" };
    case "invalid_enum_value":
      return { message: "validation.choice" };
    default:
      return { message: "validation.invalid" };
  }
};

/**
 * Postgres text cannot hold NUL. parseForm and parseValues refuse it in any field; a schema that
 * reads one field itself refines its text with this.
 */
export const withoutNul = (text: string) => !text.includes("\u0000");

/**
 * "YYYY-MM-DD" naming a real day between 1900 and 2999: "2026-02-30" is not one, and a year
 * outside those is no date this product means (nor one every date library and Postgres accept).
 */
export function isCalendarDate(value: string): boolean {
  if (!/^(19\d{2}|2\d{3})-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(value);
}

/** "YYYY-MM-DDTHH:MM", as a datetime-local input sends it, naming a real day and time of day. */
export function isWallClock(value: string): boolean {
  const match = /^(.{10})T(\d{2}):(\d{2})$/.exec(value);
  return match !== null && isCalendarDate(match[1]!) && Number(match[2]) < 24 && Number(match[3]) < 60;
}

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Reads form fields (repeated names become arrays) and checks them against the schema. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData | URLSearchParams): Parsed<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key === "_csrf") continue;
    const values = form.getAll(key);
    raw[key] = values.length > 1 ? values : values[0];
  }
  return parseValues(schema, raw);
}

/** What the user typed, to fill a refused form again (the page is rendered anew without JavaScript). */
export function submittedText(form: FormData, max = 2000): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (key !== "_csrf" && typeof value === "string") out[key] = value.slice(0, max);
  return out;
}

export function parseValues<S extends z.ZodTypeAny>(schema: S, raw: unknown): Parsed<z.infer<S>> {
  // Postgres text cannot hold NUL; a field carrying one is refused here rather than failing in the database.
  if (raw && typeof raw === "object") {
    const errors: FieldErrors = {};
    for (const [key, value] of Object.entries(raw)) {
      if ([value].flat().some((v) => typeof v === "string" && !withoutNul(v))) errors[key] = "validation.invalid";
    }
    if (Object.keys(errors).length) return { ok: false, errors };
  }
  const result = schema.safeParse(raw, { errorMap });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "_form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/**
 * Reads stored platform settings: stored values over the defaults, and a stored value that no
 * longer fits the schema is ignored. The partial schema is built once here, not on every read: a
 * booking reads two such settings, and building them took about 1 % of the server's time.
 */
export function storedSettings<S extends z.AnyZodObject, T extends z.infer<S>>(schema: S, defaults: T): (stored: unknown) => T {
  const partial = schema.partial();
  return (stored) => {
    const parsed = partial.safeParse(stored ?? {});
    return { ...defaults, ...(parsed.success ? parsed.data : {}) };
  };
}

/** Optional text fields arrive as "" from forms; treat that as absent. */
export const optionalText = (max = 500) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
