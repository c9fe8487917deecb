import { z } from "zod";
import { isCalendarDate } from "~/lib/validation";
import { operatingStatuses, serviceModes, shareModes } from "../../db/schema/vocabulary";
import { parseYuanToFen } from "~/lib/money";

/**
 * The instrument record the national sharing platform asks for, as typed in the form or read
 * from an import file. Messages are i18n keys in the catalogue namespace.
 */

/** Ten thousand 万元 (一亿元) is beyond any single instrument; larger values are typos. */
export const MAX_ORIGINAL_VALUE_FEN = 100_000_000 * 100;
export const TEXT_MAX = 4000;

const text = (max: number, required = false) => {
  const base = z.string().trim().max(max, "catalogue:validation.tooLong");
  return required ? base.min(1, "validation.required") : base.default("");
};

const isoDate = z
  .string()
  .trim()
  .transform((v) => v.replace(/[./年月]/g, "-").replace(/日$/, ""))
  .transform((v) => (/^\d{4}-\d{1,2}-\d{1,2}$/.test(v) ? v.split("-").map((p, i) => (i === 0 ? p : p.padStart(2, "0"))).join("-") : v))
  .refine((v) => v === "" || isCalendarDate(v), "catalogue:validation.date")
  .transform((v) => (v === "" ? null : v));

const stringList = z.preprocess(
  (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : String(v).split(/[,，;；、|]/).map((s) => s.trim()).filter(Boolean)),
  z.array(z.string()),
);

export type RecordContext = {
  /** Today's date in the lab's zone, YYYY-MM-DD: purchase and commissioning can't be later. */
  today: string;
  /** Category codes that exist in the classification. */
  categoryCodes: ReadonlySet<string>;
};

export function instrumentRecordSchema(ctx: RecordContext) {
  return z
    .object({
      nameZh: text(200, true),
      nameEn: text(200, true),
      model: text(100),
      manufacturer: text(200),
      countryOfOrigin: text(100),
      categoryCode: z
        .string()
        .trim()
        .min(1, "validation.required")
        .refine((c) => ctx.categoryCodes.has(c), "catalogue:validation.category"),
      originalValue: z
        .union([z.string(), z.number()])
        .transform((v, zctx) => {
          const fen = parseYuanToFen(String(v));
          if (fen === null) {
            zctx.addIssue({ code: "custom", message: "catalogue:validation.amount" });
            return z.NEVER;
          }
          if (fen > MAX_ORIGINAL_VALUE_FEN) {
            zctx.addIssue({ code: "custom", message: "catalogue:validation.amountTooLarge" });
            return z.NEVER;
          }
          return fen;
        }),
      purchaseDate: isoDate.refine((d) => d === null || d <= ctx.today, "catalogue:validation.futureDate"),
      commissioningDate: isoDate.refine((d) => d === null || d <= ctx.today, "catalogue:validation.futureDate"),
      fundingSource: text(200),
      specifications: text(TEXT_MAX),
      mainFunctions: text(TEXT_MAX),
      serviceContent: text(TEXT_MAX),
      sampleRequirements: text(TEXT_MAX),
      serviceModes: stringList.pipe(z.array(z.enum(serviceModes, { message: "catalogue:validation.serviceMode" })).min(1, "catalogue:validation.serviceModeRequired")),
      feeText: text(1000),
      operatingStatus: z.enum(operatingStatuses, { message: "validation.choice" }).default("normal"),
      shareMode: z.enum(shareModes, { message: "validation.choice" }).default("external"),
    })
    .superRefine((r, zctx) => {
      if (r.purchaseDate && r.commissioningDate && r.commissioningDate < r.purchaseDate) {
        zctx.addIssue({ code: "custom", path: ["commissioningDate"], message: "catalogue:validation.commissioningBeforePurchase" });
      }
    })
    .transform(({ originalValue, ...r }) => ({ ...r, originalValueFen: originalValue }));
}

export type InstrumentRecord = z.infer<ReturnType<typeof instrumentRecordSchema>>;
