// The annual sharing-evaluation report of an institution, in the structure of the national
// evaluation method: three sections of items. Items the platform can measure are computed from the
// year's utilisation report; the others are entered by the institution admin and kept with the report.
import { z } from "zod";
import { grades, type Grade } from "./rating";
import type { UtilisationReport } from "./report.server";

export const annualSections = [
  { key: "management", items: ["overall", "openingRate", "technicalStaff", "onlinePlatform"] },
  { key: "operation", items: ["machineHours", "results"] },
  { key: "sharing", items: ["sharedHours", "serviceResults", "selfReliance"] },
] as const;

/** What the institution admin enters, by item: free text and a few counts. */
export const entryFields = {
  overallManagement: { item: "overall", kind: "text" },
  technicalStaffCount: { item: "technicalStaff", kind: "count" },
  technicalStaffTraining: { item: "technicalStaff", kind: "text" },
  onlinePlatform: { item: "onlinePlatform", kind: "text" },
  papers: { item: "results", kind: "count" },
  patents: { item: "results", kind: "count" },
  projectsSupported: { item: "results", kind: "count" },
  resultsOfUse: { item: "results", kind: "text" },
  satisfactionPercent: { item: "serviceResults", kind: "percent" },
  serviceCases: { item: "serviceResults", kind: "text" },
  selfReliance: { item: "selfReliance", kind: "text" },
} as const;
export type EntryField = keyof typeof entryFields;
export const entryKeys = Object.keys(entryFields) as EntryField[];

const TEXT_MAX = 2000;
const REASON_MAX = 500;
const blankOr = (schema: z.ZodTypeAny) => z.union([z.literal(""), schema]);
const countOf = (max: number) =>
  blankOr(z.string().trim().regex(/^\d+$/, "reporting:validation.whole").refine((v) => Number(v) <= max, "validation.tooBig"));

const fieldSchema = (kind: "text" | "count" | "percent") =>
  kind === "text" ? z.string().trim().max(TEXT_MAX, "validation.tooLong") : countOf(kind === "percent" ? 100 : 1_000_000);

export const reasonField = (instrumentId: string) => `reason-${instrumentId}`;

/** The form: every entry field (blank allowed) and one reason per instrument below the threshold. */
export function annualFormSchema(belowThresholdIds: readonly string[]) {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const key of entryKeys) shape[key] = fieldSchema(entryFields[key].kind).default("");
  for (const id of belowThresholdIds) shape[reasonField(id)] = z.string().trim().max(REASON_MAX, "validation.tooLong").default("");
  return z.object(shape).transform((v) => ({
    entries: Object.fromEntries(entryKeys.map((k) => [k, String(v[k] ?? "")]).filter(([, x]) => x !== "")) as Record<string, string>,
    reasons: Object.fromEntries(
      belowThresholdIds.map((id) => [id, String(v[reasonField(id)] ?? "")]).filter(([, x]) => x !== ""),
    ) as Record<string, string>,
  }));
}

export interface InstitutionFacts {
  /** Instruments that left draft (the ones the report covers), and how many of them are open (published). */
  instruments: number;
  openInstruments: number;
  /** Lab staff memberships of the institution. */
  labStaff: number;
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const hours = (minutes: number) => Math.round(minutes / 6) / 10;

/** The figures the platform fills in, item by item. */
export function computedFigures(report: UtilisationReport, facts: InstitutionFacts) {
  const { totals, ratios, counts } = report.total;
  const gradeCounts = Object.fromEntries(grades.map((g) => [g, 0])) as Record<Grade, number>;
  for (const g of report.groups) if (g.assessment?.grade) gradeCounts[g.assessment.grade] += 1;
  return {
    instruments: facts.instruments,
    openInstruments: facts.openInstruments,
    openingRate: round1(facts.instruments ? (100 * facts.openInstruments) / facts.instruments : null),
    labStaff: facts.labStaff,
    effectiveHours: hours(totals.effectiveMinutes),
    ratedHours: hours(totals.ratedMinutes),
    averageHours: facts.instruments ? hours(totals.effectiveMinutes / facts.instruments) : 0,
    utilisation: round1(ratios.utilisation),
    gradeCounts,
    externalHours: hours(totals.externalMinutes),
    sharingRate: round1(ratios.sharingRate),
    usersServed: counts.usersServed,
    organizationsServed: counts.organizationsServed,
    smesServed: counts.smesServed,
    visits: totals.visits,
    externalVisits: totals.externalVisits,
    sampleJobs: totals.sampleJobs,
    samples: totals.samples,
    belowThreshold: report.belowThreshold.length,
  };
}
export type ComputedFigures = ReturnType<typeof computedFigures>;

type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface AnnualItem {
  key: string;
  label: string;
  /** Sentences the platform fills in. */
  figures: string[];
  /** What the institution entered for this item: label and value ("" when not entered). */
  entries: { key: EntryField; label: string; value: string }[];
}

/** The report's sections and items as text, shared by the page and the XLSX. */
export function annualItems(figures: ComputedFigures, entries: Record<string, string>, t: Translate, pct: (v: number | null) => string) {
  const computed: Record<string, string[]> = {
    openingRate: [t("figure.openInstruments", { open: figures.openInstruments, all: figures.instruments, rate: pct(figures.openingRate) })],
    technicalStaff: [t("figure.labStaff", { count: figures.labStaff })],
    onlinePlatform: [t("figure.platform", { count: figures.openInstruments })],
    machineHours: [
      t("figure.machineHours", {
        effective: figures.effectiveHours,
        rated: figures.ratedHours,
        average: figures.averageHours,
        utilisation: pct(figures.utilisation),
      }),
      t("figure.grades", figures.gradeCounts),
    ],
    sharedHours: [t("figure.sharedHours", { external: figures.externalHours, rate: pct(figures.sharingRate) })],
    serviceResults: [
      t("figure.served", {
        users: figures.usersServed,
        orgs: figures.organizationsServed,
        smes: figures.smesServed,
        visits: figures.externalVisits,
        samples: figures.samples,
      }),
    ],
  };
  return annualSections.map((section) => ({
    key: section.key,
    label: t(`section.${section.key}`),
    items: section.items.map(
      (item): AnnualItem => ({
        key: item,
        label: t(`item.${item}`),
        figures: computed[item] ?? [],
        entries: entryKeys
          .filter((k) => entryFields[k].item === item)
          .map((k) => ({ key: k, label: t(`field.${k}`), value: entries[k] ?? "" })),
      }),
    ),
  }));
}
