// Forms of the voucher pages: programme definition, a company's application, the issuer's decision.
import { z } from "zod";
import { isCalendarDate } from "~/lib/validation";
import { parseYuanToFen } from "~/lib/money";
import { customerClasses } from "../../db/schema/billing-vocabulary";
import { serviceModes } from "../../db/schema/vocabulary";

export const isoDate = z.string().trim().refine(isCalendarDate, "validation.invalid");

/** An amount typed in yuan ("8,000", "1.5万"), positive, as integer fen. */
export const yuanAmount = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx) => {
    const fen = parseYuanToFen(v);
    if (fen === null || fen <= 0) {
      ctx.addIssue({ code: "custom", message: "vouchers:validation.amount" });
      return z.NEVER;
    }
    return fen;
  });

const optionalYuanAmount = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const fen = parseYuanToFen(v);
    if (fen === null || fen <= 0) {
      ctx.addIssue({ code: "custom", message: "vouchers:validation.amount" });
      return z.NEVER;
    }
    return fen;
  });

/** A repeated form field: absent, one value or several. */
const many = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const programmeSchema = z
  .object({
    issuerOrganizationId: z.string().uuid(),
    nameZh: z.string().trim().min(1).max(200),
    nameEn: z.string().trim().min(1).max(200),
    coveragePercent: z.coerce.number({ message: "validation.invalid" }).int().min(1, "vouchers:validation.coverage").max(100, "vouchers:validation.coverage"),
    perClaimCap: optionalYuanAmount,
    yearlyCap: optionalYuanAmount,
    eligibleCustomerClasses: many(z.enum(customerClasses)).refine((v) => v.length > 0, "vouchers:validation.classes"),
    // Codes of the national classification, separated by spaces or commas.
    eligibleCategoryCodes: z
      .string()
      .trim()
      .max(500)
      .optional()
      .transform((v) => [...new Set((v ?? "").split(/[\s,，、]+/).filter(Boolean))])
      .refine((codes) => codes.every((c) => /^\d{2,8}$/.test(c)), "vouchers:validation.categoryCodes"),
    excludedServiceModes: many(z.enum(serviceModes)),
    validFrom: isoDate,
    validUntil: isoDate,
    stackingOrder: z.coerce.number({ message: "validation.invalid" }).int().min(1).max(99),
  })
  .refine((p) => p.validUntil >= p.validFrom, { path: ["validUntil"], message: "vouchers:validation.validity" });
export type ProgrammeInput = z.infer<typeof programmeSchema>;

export const grantApplicationSchema = z.object({
  programmeId: z.string().uuid(),
  requested: yuanAmount,
  purpose: z.string().trim().min(1).max(1000),
});

export const grantDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve"), grantId: z.string().uuid(), approved: yuanAmount, note: z.string().trim().max(500).default("") }),
  z.object({ decision: z.literal("reject"), grantId: z.string().uuid(), note: z.string().trim().min(1).max(500) }),
]);

export const reimbursementSchema = z.object({
  claimIds: many(z.string().uuid()).refine((v) => v.length > 0, "vouchers:validation.noClaims"),
  reference: z.string().trim().min(1).max(100),
});

/** The claims report's filter: service dates from–until (inclusive; empty means open) and claim status. */
export const claimsPeriodSchema = z.object({
  from: isoDate.catch(""),
  until: isoDate.catch(""),
  status: z.enum(["all", "claimed", "reimbursed"]).catch("all"),
});
