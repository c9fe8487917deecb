import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customerClassOf } from "../../app/billing/customer-class";
import {
  bookedUsage,
  cancellationFee,
  cancellationTerms,
  defaultBillingPolicy,
  noShowFee,
  platformFee,
  priceUsage,
  type RateTerms,
} from "../../app/billing/quote";
import { customerClasses, rateUnits } from "../../db/schema/billing-vocabulary";

const fen = fc.integer({ min: 0, max: 5_000_000 });

const rateArb: fc.Arbitrary<RateTerms> = fc
  .record({
    unit: fc.constantFrom(...rateUnits),
    prices: fc.array(fen, { minLength: 1, maxLength: 4 }),
    steps: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 3, maxLength: 3 }),
    minimumChargeFen: fen,
    setupFeeFen: fen,
    roundingMinutes: fc.constantFrom(0, 5, 15, 30, 60),
    discountPercent: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ prices, steps, ...rest }) => {
    let bound = 0;
    const tiers = prices.map((unitPriceFen, i) => {
      if (i === prices.length - 1) return { upToUnits: null, unitPriceFen };
      bound += steps[i]!;
      return { upToUnits: bound, unitPriceFen };
    });
    return { ...rest, tiers };
  });

const usageArb = fc.record({
  minutes: fc.integer({ min: 0, max: 24 * 60 }),
  samples: fc.integer({ min: 0, max: 200 }),
  lateStartMinutes: fc.integer({ min: 0, max: 240 }),
});

const sme = "sme" as const;

describe("priceUsage", () => {
  it("first hour 500 元, each further hour 400 元, rounded up to 30 minutes, plus setup", () => {
    const rate: RateTerms = {
      unit: "hour",
      tiers: [{ upToUnits: 1, unitPriceFen: 50_000 }, { upToUnits: null, unitPriceFen: 40_000 }],
      minimumChargeFen: 0,
      setupFeeFen: 10_000,
      roundingMinutes: 30,
      discountPercent: 0,
    };
    const quote = priceUsage(sme, rate, defaultBillingPolicy, { minutes: 130, samples: 0, lateStartMinutes: 0 });
    expect(quote.lines.map((l) => [l.kind, l.quantity, l.amountFen])).toEqual([
      ["base", 60, 50_000],
      ["tier", 90, 60_000],
      ["setup", 1, 10_000],
    ]);
    expect(quote.totalFen).toBe(120_000);
  });

  it("bills a start later than the grace as full hours, tops up to the minimum, then discounts", () => {
    const rate: RateTerms = { unit: "half_hour", tiers: [{ upToUnits: null, unitPriceFen: 10_000 }], minimumChargeFen: 100_000, setupFeeFen: 0, roundingMinutes: 0, discountPercent: 10 };
    const quote = priceUsage("academic", rate, defaultBillingPolicy, { minutes: 60, samples: 0, lateStartMinutes: 31 });
    expect(quote.lines.map((l) => [l.kind, l.amountFen])).toEqual([
      ["base", 20_000],
      ["late", 20_000],
      ["minimum", 60_000],
      ["discount", -10_000],
    ]);
    expect(quote.totalFen).toBe(90_000);
    expect(priceUsage("academic", rate, defaultBillingPolicy, { minutes: 60, samples: 0, lateStartMinutes: 30 }).lines.some((l) => l.kind === "late")).toBe(false);
  });

  it("prices samples and sessions by count", () => {
    const perSample: RateTerms = { unit: "sample", tiers: [{ upToUnits: 10, unitPriceFen: 8_000 }, { upToUnits: null, unitPriceFen: 6_000 }], minimumChargeFen: 0, setupFeeFen: 0, roundingMinutes: 0, discountPercent: 0 };
    expect(priceUsage(sme, perSample, defaultBillingPolicy, { minutes: 0, samples: 12, lateStartMinutes: 90 }).totalFen).toBe(92_000);
    const session: RateTerms = { ...perSample, unit: "session", tiers: [{ upToUnits: null, unitPriceFen: 150_000 }] };
    expect(priceUsage(sme, session, defaultBillingPolicy, { minutes: 400, samples: 3, lateStartMinutes: 0 }).totalFen).toBe(150_000);
  });

  it("amounts are non-negative integers and the lines add up to the total", () => {
    fc.assert(
      fc.property(rateArb, usageArb, fc.constantFrom(...customerClasses), (rate, usage, customerClass) => {
        const quote = priceUsage(customerClass, rate, defaultBillingPolicy, usage);
        expect(Number.isSafeInteger(quote.totalFen)).toBe(true);
        expect(quote.totalFen).toBeGreaterThanOrEqual(0);
        for (const line of quote.lines) expect(Number.isSafeInteger(line.amountFen)).toBe(true);
        expect(quote.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(quote.totalFen);
        expect(quote.totalFen).toBeGreaterThanOrEqual(rate.discountPercent === 0 ? rate.minimumChargeFen : 0);
      }),
    );
  });

  it("the tiers cover exactly the billed quantity", () => {
    fc.assert(
      fc.property(rateArb, usageArb, (rate, usage) => {
        const quote = priceUsage(sme, rate, defaultBillingPolicy, usage);
        const tiered = quote.lines.filter((l) => l.kind === "base" || l.kind === "tier").reduce((s, l) => s + l.quantity, 0);
        const expected =
          rate.unit === "sample" ? usage.samples : rate.unit === "session" ? 1 : rate.roundingMinutes ? Math.ceil(usage.minutes / rate.roundingMinutes) * rate.roundingMinutes : usage.minutes;
        expect(tiered).toBe(expected);
      }),
    );
  });

  it("the final amount equals the quote when the usage equals the booking", () => {
    fc.assert(
      fc.property(rateArb, fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 5, max: 720 }), (rate, startMs, minutes) => {
        const start = new Date(Date.UTC(2026, 2, 2) + startMs * 60_000);
        const end = new Date(start.getTime() + minutes * 60_000);
        const quote = priceUsage(sme, rate, defaultBillingPolicy, bookedUsage(start, end));
        const final = priceUsage(sme, rate, defaultBillingPolicy, { minutes, samples: 1, lateStartMinutes: 0 });
        expect(final).toEqual(quote);
      }),
    );
  });

  it("a longer use never costs less", () => {
    fc.assert(
      fc.property(rateArb, usageArb, fc.integer({ min: 0, max: 600 }), (rate, usage, more) => {
        const a = priceUsage(sme, rate, defaultBillingPolicy, usage).totalFen;
        const b = priceUsage(sme, rate, defaultBillingPolicy, { ...usage, minutes: usage.minutes + more, samples: usage.samples + more }).totalFen;
        expect(b).toBeGreaterThanOrEqual(a);
      }),
    );
  });
});

describe("fees on the quote", () => {
  const rate: RateTerms = { unit: "hour", tiers: [{ upToUnits: null, unitPriceFen: 30_000 }], minimumChargeFen: 0, setupFeeFen: 0, roundingMinutes: 0, discountPercent: 0 };
  const quote = priceUsage(sme, rate, defaultBillingPolicy, { minutes: 120, samples: 1, lateStartMinutes: 0 });
  const start = new Date("2026-03-05T01:00:00Z");

  it("cancellation is free until the window, then a percentage", () => {
    expect(cancellationFee(quote, defaultBillingPolicy, start, new Date(start.getTime() - 24 * 3_600_000)).totalFen).toBe(0);
    const late = cancellationFee(quote, defaultBillingPolicy, start, new Date(start.getTime() - 23 * 3_600_000));
    expect(late.totalFen).toBe(30_000);
    expect(late.lines).toEqual([{ kind: "cancellation", quantity: 50, quantityUnit: "percent", unitPriceFen: 60_000, per: null, amountFen: 30_000 }]);
    expect(noShowFee(quote, { ...defaultBillingPolicy, noShowFeePercent: 0 })).toMatchObject({ totalFen: 0, lines: [] });
  });

  it("tells the customer before they cancel what it costs now and until when it is free", () => {
    const early = cancellationTerms(quote, defaultBillingPolicy, start, new Date(start.getTime() - 48 * 3_600_000));
    expect(early).toEqual({ feeFen: 0, freeUntil: new Date(start.getTime() - 24 * 3_600_000), percent: 50 });
    expect(cancellationTerms(quote, defaultBillingPolicy, start, new Date(start.getTime() - 3_600_000)).feeFen).toBe(30_000);
  });
});

describe("platformFee", () => {
  const bands = [
    { fromFen: 0, rateBasisPoints: 1000 },
    { fromFen: 100_000, rateBasisPoints: 500 },
    { fromFen: 1_000_000, rateBasisPoints: 250 },
    { fromFen: 10_000_000, rateBasisPoints: 200 },
  ];

  it("takes 10 % / 5 % / 2.5 % / 2 % of the marginal bands; internal use is free", () => {
    expect(platformFee(60_000, bands, sme)).toBe(6_000);
    expect(platformFee(200_000, bands, "enterprise")).toBe(15_000);
    expect(platformFee(20_000_000, bands, "academic")).toBe(10_000 + 45_000 + 225_000 + 200_000);
    expect(platformFee(200_000, bands, "internal")).toBe(0);
  });

  it("is an integer, never more than the amount, and never falls as the amount grows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 1e6 }), (amount, more) => {
        const fee = platformFee(amount, bands, sme);
        expect(Number.isSafeInteger(fee) && fee >= 0 && fee <= amount).toBe(true);
        expect(platformFee(amount + more, bands, sme)).toBeGreaterThanOrEqual(fee);
      }),
    );
  });
});

describe("customerClassOf", () => {
  it("follows the customer's organisation and its relation to the provider", () => {
    expect(customerClassOf({ id: "p", type: "university", isSme: false }, "p")).toBe("internal");
    expect(customerClassOf({ id: "c", type: "institute", isSme: false }, "p")).toBe("academic");
    expect(customerClassOf({ id: "c", type: "enterprise", isSme: true }, "p")).toBe("sme");
    expect(customerClassOf({ id: "c", type: "enterprise", isSme: false }, "p")).toBe("enterprise");
    expect(customerClassOf({ id: "c", type: "government", isSme: false }, "p")).toBe("enterprise");
  });
});
