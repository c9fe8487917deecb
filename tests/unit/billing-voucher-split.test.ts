import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCharge, type SplitInput, type SplitProgramme } from "../../app/billing/voucher-split";
import { customerClasses } from "../../db/schema/billing-vocabulary";
import { serviceModes } from "../../db/schema/vocabulary";

const programme = (over: Partial<SplitProgramme>): SplitProgramme => ({
  id: "p",
  coveragePercent: 50,
  perClaimCapFen: null,
  yearlyRemainingFen: null,
  grantRemainingFen: 1_000_000_00,
  eligibleCustomerClasses: ["sme"],
  eligibleCategoryCodes: [],
  excludedServiceModes: [],
  validFrom: "2026-01-01",
  validUntil: "2026-12-31",
  stackingOrder: 1,
  ...over,
});

const base: Omit<SplitInput, "programmes"> = {
  amountFen: 100_000,
  customerClass: "sme",
  categoryCode: "0301",
  serviceMode: "staff_operated",
  serviceDate: "2026-06-15",
};

describe("splitCharge", () => {
  it("stacks a provincial 60 % and a city 30 % programme, each on the whole amount", () => {
    const split = splitCharge({
      ...base,
      programmes: [programme({ id: "city", coveragePercent: 30, stackingOrder: 2 }), programme({ id: "province", coveragePercent: 60 })],
    });
    expect(split.shares).toEqual([
      { programmeId: "province", fen: 60_000 },
      { programmeId: "city", fen: 30_000 },
    ]);
    expect(split.companyFen).toBe(10_000);
  });

  it("applies the per-claim cap, the yearly allowance and the grant balance, whichever is lowest", () => {
    expect(splitCharge({ ...base, programmes: [programme({ perClaimCapFen: 20_000 })] }).shares[0]!.fen).toBe(20_000);
    expect(splitCharge({ ...base, programmes: [programme({ yearlyRemainingFen: 12_345 })] }).shares[0]!.fen).toBe(12_345);
    expect(splitCharge({ ...base, programmes: [programme({ grantRemainingFen: 999 })] }).shares[0]!.fen).toBe(999);
  });

  it("a capped first programme leaves the second to pay only its own coverage", () => {
    const split = splitCharge({
      ...base,
      programmes: [programme({ id: "a", coveragePercent: 60, perClaimCapFen: 10_000 }), programme({ id: "b", coveragePercent: 30, stackingOrder: 2 })],
    });
    expect(split.shares.map((s) => s.fen)).toEqual([10_000, 30_000]);
    expect(split.companyFen).toBe(60_000);
  });

  it("rounds each share down to the fen", () => {
    const split = splitCharge({ ...base, amountFen: 101, programmes: [programme({ coveragePercent: 33 })] });
    expect(split.shares[0]!.fen).toBe(33);
    expect(split.companyFen).toBe(68);
  });

  it("says why a programme does not apply", () => {
    const reasons = (p: Partial<SplitProgramme>) => splitCharge({ ...base, programmes: [programme(p)] }).skipped.map((s) => s.reason);
    expect(reasons({ eligibleCustomerClasses: ["enterprise"] })).toEqual(["class"]);
    expect(reasons({ eligibleCategoryCodes: ["04"] })).toEqual(["category"]);
    expect(reasons({ eligibleCategoryCodes: ["03"] })).toEqual([]);
    expect(reasons({ excludedServiceModes: ["staff_operated"] })).toEqual(["service"]);
    expect(reasons({ validUntil: "2026-06-14" })).toEqual(["expired"]);
    expect(reasons({ validUntil: "2026-06-15" })).toEqual([]);
    expect(reasons({ validFrom: "2026-06-16" })).toEqual(["not_yet_valid"]);
    expect(reasons({ grantRemainingFen: 0 })).toEqual(["exhausted"]);
    expect(reasons({ yearlyRemainingFen: 0 })).toEqual(["exhausted"]);
  });

  it("refuses a negative or fractional amount", () => {
    expect(() => splitCharge({ ...base, amountFen: -1, programmes: [] })).toThrow(RangeError);
    expect(() => splitCharge({ ...base, amountFen: 1.5, programmes: [] })).toThrow(RangeError);
  });
});

const nullableFen = fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null });
const arbProgramme = fc.record({
  id: fc.uuid(),
  coveragePercent: fc.integer({ min: 1, max: 100 }),
  perClaimCapFen: nullableFen,
  yearlyRemainingFen: nullableFen,
  grantRemainingFen: fc.integer({ min: 0, max: 5_000_000 }),
  eligibleCustomerClasses: fc.subarray([...customerClasses], { minLength: 1 }),
  eligibleCategoryCodes: fc.subarray(["01", "03", "0301", "07"]),
  excludedServiceModes: fc.subarray([...serviceModes]),
  validFrom: fc.constantFrom("2026-01-01", "2026-06-01"),
  validUntil: fc.constantFrom("2026-05-31", "2026-12-31"),
  stackingOrder: fc.integer({ min: 1, max: 5 }),
});
const arbInput = fc.record({
  amountFen: fc.integer({ min: 0, max: 50_000_000 }),
  customerClass: fc.constantFrom(...customerClasses),
  categoryCode: fc.constantFrom("0101", "0301", "030102", "0701"),
  serviceMode: fc.option(fc.constantFrom(...serviceModes), { nil: null }),
  serviceDate: fc.constantFrom("2026-03-01", "2026-07-01"),
  programmes: fc.array(arbProgramme, { maxLength: 4 }),
});

describe("splitCharge properties", () => {
  it("shares are non-negative integers that with the company's share add up to the amount, within every cap", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const split = splitCharge(input);
        const byId = new Map(input.programmes.map((p) => [p.id, p]));
        for (const { programmeId, fen } of split.shares) {
          const p = byId.get(programmeId)!;
          expect(Number.isInteger(fen) && fen > 0).toBe(true);
          expect(fen).toBeLessThanOrEqual(Math.floor((input.amountFen * p.coveragePercent) / 100));
          expect(fen).toBeLessThanOrEqual(p.perClaimCapFen ?? Infinity);
          expect(fen).toBeLessThanOrEqual(p.yearlyRemainingFen ?? Infinity);
          expect(fen).toBeLessThanOrEqual(p.grantRemainingFen);
        }
        expect(Number.isInteger(split.companyFen) && split.companyFen >= 0).toBe(true);
        expect(split.shares.reduce((s, x) => s + x.fen, 0) + split.companyFen).toBe(input.amountFen);
        expect(split.voucherFen + split.companyFen).toBe(input.amountFen);
      }),
      { numRuns: 500 },
    );
  });

  it("the order the programmes are given in does not matter, only their stacking order", () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const reversed = splitCharge({ ...input, programmes: [...input.programmes].reverse() });
        expect(reversed).toEqual(splitCharge(input));
      }),
      { numRuns: 200 },
    );
  });
});
