// The sample-job forms without I/O: the customer's request with its sample lines, and the lab's
// entries (samples received, instrument time). Messages are i18n keys (samples: namespace).
import { z } from "zod";
import { sampleHazards, sampleRemains } from "../../db/schema/booking-vocabulary";
import { isWallClock, parseValues, type FieldErrors, type Parsed } from "~/lib/validation";

export const MAX_SAMPLE_LINES = 30;
export const REPORT_MAX_BYTES = 20 * 1024 * 1024;

const lineFields = ["name", "count", "matrix", "hazards", "hazardNote", "requiredTests"] as const;

const asList = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);

export const sampleLineSchema = z
  .object({
    name: z.string().trim().min(1, "samples:validation.name").max(200, "validation.tooBig"),
    count: z.coerce
      .number({ message: "samples:validation.count" })
      .int("samples:validation.count")
      .min(1, "samples:validation.count")
      .max(100_000, "samples:validation.count"),
    matrix: z.string().trim().max(200, "validation.tooBig").default(""),
    hazards: z.preprocess(asList, z.array(z.enum(sampleHazards, { message: "validation.choice" })).max(sampleHazards.length)),
    hazardNote: z.string().trim().max(500, "validation.tooBig").default(""),
    requiredTests: z.string().trim().min(1, "samples:validation.requiredTests").max(1000, "validation.tooBig"),
  })
  // "Other" says nothing by itself: the lab must know what the hazard is before the parcel arrives.
  .refine((l) => !l.hazards.includes("other") || l.hazardNote.length > 0, { path: ["hazardNote"], message: "samples:validation.hazardNote" })
  .transform((l) => ({ ...l, hazards: [...new Set(l.hazards)] }));

export type SampleLine = z.output<typeof sampleLineSchema>;

export const sampleJobFieldsSchema = z.object({
  requestKey: z.string().uuid("validation.invalid"),
  purpose: z.string({ message: "samples:validation.purpose" }).trim().min(1, "samples:validation.purpose").max(500, "validation.tooBig"),
  projectReference: z.string().trim().max(120, "validation.tooBig").optional().default(""),
  remains: z.enum(sampleRemains, { message: "samples:validation.remains" }),
});

export type SampleJobForm = z.output<typeof sampleJobFieldsSchema> & { samples: SampleLine[] };

/** How many sample lines the form carries (the `lines` field), within 1 … MAX_SAMPLE_LINES. */
export function lineCount(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) ? Math.min(Math.max(n, 1), MAX_SAMPLE_LINES) : 1;
}

/** A line's raw fields as the form sent them (`samples.<i>.<field>`). */
export function rawLine(form: FormData, index: number): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const field of lineFields) {
    const values = form.getAll(`samples.${index}.${field}`).map(String);
    raw[field] = field === "hazards" ? values : values[0];
  }
  return raw;
}

const isBlank = (raw: Record<string, unknown>) =>
  lineFields.every((f) => (Array.isArray(raw[f]) ? (raw[f] as unknown[]).length === 0 : !String(raw[f] ?? "").trim()));

/**
 * The request form: job fields plus every line that isn't left entirely blank; a line's errors
 * are keyed by its place in the form (`samples.2.count`), so they show at the right field.
 */
export function parseSampleJobForm(form: FormData): Parsed<SampleJobForm> {
  const errors: FieldErrors = {};
  const job = parseValues(sampleJobFieldsSchema, {
    requestKey: form.get("requestKey") ?? undefined,
    purpose: form.get("purpose") ?? undefined,
    projectReference: form.get("projectReference") ?? undefined,
    remains: form.get("remains") ?? undefined,
  });
  if (!job.ok) Object.assign(errors, job.errors);
  const samples: SampleLine[] = [];
  const lines = lineCount(form.get("lines"));
  for (let i = 0; i < lines; i++) {
    const raw = rawLine(form, i);
    if (isBlank(raw)) continue;
    const line = parseValues(sampleLineSchema, raw);
    if (line.ok) samples.push(line.data);
    else for (const [key, message] of Object.entries(line.errors)) errors[`samples.${i}.${key}`] = message;
  }
  if (samples.length === 0 && !Object.keys(errors).some((k) => k.startsWith("samples."))) errors["samples.0.name"] = "samples:validation.noSamples";
  if (!job.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, data: { ...job.data, samples } };
}

/** The lab's note that the samples arrived: when (lab's wall-clock time) and in what state. */
export const receiveSamplesSchema = z.object({
  receivedAt: z.string().refine(isWallClock, "samples:validation.receivedAt"),
  condition: z.string().trim().max(1000, "validation.tooBig").default(""),
});

const minutes = z.coerce.number({ message: "samples:validation.minutes" }).int("samples:validation.minutes").min(0, "samples:validation.minutes").max(10_000, "samples:validation.minutes");

/** Instrument time spent on a job; effective minutes = preparation + measurement + post-processing. */
export const instrumentTimeSchema = z
  .object({
    startedAt: z.string().refine(isWallClock, "samples:validation.startedAt"),
    preparationMinutes: minutes,
    measurementMinutes: minutes,
    postProcessingMinutes: minutes,
    samplesCount: z.coerce.number({ message: "samples:validation.samplesCount" }).int("samples:validation.samplesCount").min(1, "samples:validation.samplesCount").max(100_000, "samples:validation.samplesCount"),
    note: z.string().trim().max(1000, "validation.tooBig").default(""),
  })
  .refine((v) => v.preparationMinutes + v.measurementMinutes + v.postProcessingMinutes > 0, { path: ["measurementMinutes"], message: "samples:validation.noMinutes" });

export const effectiveMinutes = (t: { preparationMinutes: number; measurementMinutes: number; postProcessingMinutes: number }) =>
  t.preparationMinutes + t.measurementMinutes + t.postProcessingMinutes;
