// Forms of the rates editor: one rate per customer class and the instrument's billing policy.
// Amounts are typed in 元 with up to two decimals and become integer fen here.
import { z } from "zod";
import { parseYuanToFen } from "~/lib/money";
import { customerClasses, rateUnits } from "../../db/schema/billing-vocabulary";
import type { RateTerms, RateTier } from "./quote";

/** How many tier rows the editor offers. */
export const MAX_TIERS = 4;
/** Rounding steps the editor offers, in minutes (0 = to the minute). */
export const roundingChoices = [0, 5, 10, 15, 30, 60] as const;

const yuan = (message = "fees:validation.amount") =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === "") return 0;
      const fen = parseYuanToFen(v);
      if (fen === null) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return fen;
    });

const wholeNumber = (min: number, max: number, message: string) =>
  z.coerce.number({ message }).int(message).min(min, message).max(max, message);

/** A repeated form field: absent, one value or several. */
const many = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(40)).max(MAX_TIERS));

/**
 * The tier rows as typed: a price per unit and, for every tier but the last, up to how many units
 * (counted from the start) it applies. Empty rows are skipped.
 */
export function parseTiers(prices: string[], upTos: string[]): { ok: true; tiers: RateTier[] } | { ok: false; message: string } {
  const rows = prices
    .map((price, i) => ({ price: price.trim(), upTo: (upTos[i] ?? "").trim() }))
    .filter((r) => r.price !== "" || r.upTo !== "");
  if (rows.length === 0) return { ok: false, message: "fees:validation.tiersRequired" };
  const tiers: RateTier[] = [];
  let previous = 0;
  for (const [i, row] of rows.entries()) {
    const fen = parseYuanToFen(row.price);
    if (fen === null) return { ok: false, message: "fees:validation.tierPrice" };
    const last = i === rows.length - 1;
    if (last) {
      tiers.push({ upToUnits: null, unitPriceFen: fen });
      break;
    }
    if (!/^\d{1,4}$/.test(row.upTo)) return { ok: false, message: "fees:validation.tierUpTo" };
    const upTo = Number(row.upTo);
    if (upTo <= previous) return { ok: false, message: "fees:validation.tierOrder" };
    tiers.push({ upToUnits: upTo, unitPriceFen: fen });
    previous = upTo;
  }
  return { ok: true, tiers };
}

export const rateSchema = z
  .object({
    customerClass: z.enum(customerClasses),
    unit: z.enum(rateUnits),
    tierPrice: many,
    tierUpTo: many,
    minimumCharge: yuan(),
    setupFee: yuan(),
    roundingMinutes: z.coerce.number().refine((n) => (roundingChoices as readonly number[]).includes(n), "validation.choice"),
    discountPercent: wholeNumber(0, 100, "fees:validation.percent"),
  })
  .transform((form, ctx) => {
    const parsed = parseTiers(form.tierPrice, form.tierUpTo);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: ["tiers"], message: parsed.message });
      return z.NEVER;
    }
    const terms: RateTerms = {
      unit: form.unit,
      tiers: parsed.tiers,
      minimumChargeFen: form.minimumCharge,
      setupFeeFen: form.setupFee,
      roundingMinutes: form.roundingMinutes,
      discountPercent: form.discountPercent,
    };
    return { customerClass: form.customerClass, terms };
  });

export type RateForm = z.infer<typeof rateSchema>;

export const policySchema = z.object({
  freeCancellationHours: wholeNumber(0, 720, "fees:validation.hours"),
  cancellationFeePercent: wholeNumber(0, 100, "fees:validation.percent"),
  noShowFeePercent: wholeNumber(0, 100, "fees:validation.percent"),
  lateStartGraceMinutes: wholeNumber(0, 480, "fees:validation.minutes"),
});

export type PolicyForm = z.infer<typeof policySchema>;

export const removeRateSchema = z.object({ customerClass: z.enum(customerClasses) });
