// How a charge is shared between innovation-voucher programmes and the company (DESIGN.md §7).
// Pure: the caller loads the programmes with the company's remaining balances and passes them in
// stacking order; nothing here reads a clock or a database.
import type { CustomerClass } from "../../db/schema/billing-vocabulary";
import type { ServiceMode } from "../../db/schema/vocabulary";

export interface SplitProgramme {
  id: string;
  /** Share of the whole charge this programme pays, 1–100. */
  coveragePercent: number;
  /** Null: no cap per claim. */
  perClaimCapFen: number | null;
  /** What the company may still claim under this programme this calendar year; null: no yearly cap. */
  yearlyRemainingFen: number | null;
  /** Approved grant amount not yet drawn. */
  grantRemainingFen: number;
  eligibleCustomerClasses: readonly CustomerClass[];
  /** Empty: every category; a code covers its sub-categories (codes are hierarchical prefixes). */
  eligibleCategoryCodes: readonly string[];
  excludedServiceModes: readonly ServiceMode[];
  /** Inclusive ISO dates (YYYY-MM-DD). */
  validFrom: string;
  validUntil: string;
  stackingOrder: number;
}

export interface SplitInput {
  amountFen: number;
  customerClass: CustomerClass;
  categoryCode: string;
  serviceMode: ServiceMode | null;
  /** The day the service took place (YYYY-MM-DD in the lab's zone). */
  serviceDate: string;
  programmes: readonly SplitProgramme[];
}

export type SkipReason = "class" | "category" | "service" | "not_yet_valid" | "expired" | "exhausted";

export interface VoucherSplit {
  shares: { programmeId: string; fen: number }[];
  skipped: { programmeId: string; reason: SkipReason }[];
  voucherFen: number;
  companyFen: number;
}

function ineligibility(p: SplitProgramme, input: SplitInput): SkipReason | null {
  if (!p.eligibleCustomerClasses.includes(input.customerClass)) return "class";
  if (p.eligibleCategoryCodes.length > 0 && !p.eligibleCategoryCodes.some((code) => input.categoryCode.startsWith(code))) return "category";
  if (input.serviceMode && p.excludedServiceModes.includes(input.serviceMode)) return "service";
  // ISO dates compare correctly as strings.
  if (input.serviceDate < p.validFrom) return "not_yet_valid";
  if (input.serviceDate > p.validUntil) return "expired";
  return null;
}

/**
 * Each programme, in stacking order, pays its coverage of the whole amount (rounded down to the
 * fen, so the company never pays less than the programmes' terms allow), limited by its per-claim
 * cap, the company's yearly allowance, the grant's remaining balance and what earlier programmes
 * left. The company pays the rest.
 */
export function splitCharge(input: SplitInput): VoucherSplit {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 0) throw new RangeError("amountFen must be a non-negative integer");
  const ordered = [...input.programmes].sort((a, b) => a.stackingOrder - b.stackingOrder || a.id.localeCompare(b.id));
  let left = input.amountFen;
  const shares: VoucherSplit["shares"] = [];
  const skipped: VoucherSplit["skipped"] = [];
  for (const p of ordered) {
    const reason = ineligibility(p, input);
    if (reason) {
      skipped.push({ programmeId: p.id, reason });
      continue;
    }
    const coverage = Math.floor((input.amountFen * p.coveragePercent) / 100);
    const fen = Math.max(
      0,
      Math.min(coverage, p.perClaimCapFen ?? Infinity, p.yearlyRemainingFen ?? Infinity, p.grantRemainingFen, left),
    );
    if (fen === 0) {
      if (input.amountFen > 0) skipped.push({ programmeId: p.id, reason: "exhausted" });
      continue;
    }
    shares.push({ programmeId: p.id, fen });
    left -= fen;
  }
  return { shares, skipped, voucherFen: input.amountFen - left, companyFen: left };
}
