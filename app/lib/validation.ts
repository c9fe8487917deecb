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

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Reads form fields (repeated names become arrays) and checks them against the schema. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData | URLSearchParams): Parsed<z.infer<S>> {
  const raw: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const key of new Set(form.keys())) {
    if (key === "_csrf") continue;
    const values = form.getAll(key);
    // Postgres text cannot hold NUL; such input is refused here rather than failing in the database.
    if (values.some((v) => typeof v === "string" && v.includes("\u0000"))) errors[key] = "validation.invalid";
    raw[key] = values.length > 1 ? values : values[0];
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return parseValues(schema, raw);
}

/** What the user typed, to fill a refused form again (the page is rendered anew without JavaScript). */
export function submittedText(form: FormData, max = 2000): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (key !== "_csrf" && typeof value === "string") out[key] = value.slice(0, max);
  return out;
}

export function parseValues<S extends z.ZodTypeAny>(schema: S, raw: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(raw, { errorMap });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "_form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Optional text fields arrive as "" from forms; treat that as absent. */
export const optionalText = (max = 500) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));
