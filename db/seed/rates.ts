// Demo rates (收费标准) for the demo instruments, from each template's internal and external price:
// internal users pay the internal price, academic users the external one, companies more; time is
// billed in tiers (each further hour cheaper), samples get a volume tier.
import { inArray } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";
import type { CustomerClass, RateUnit } from "../schema/billing-vocabulary";
import { instruments, rates } from "../schema";
import { demoInstrumentPlans } from "./generate";
import { instrumentTemplates } from "./templates";

const unitOf = (unit: string): RateUnit => (unit === "小时" ? "hour" : unit === "天" || unit === "流动槽道" ? "session" : "sample");

/** Whole yuan → fen, rounded to 10 yuan so demo prices look like real price lists. */
const tenYuan = (yuan: number) => Math.round(yuan / 10) * 1000;

const classFactor: Record<CustomerClass, number> = { internal: 0, academic: 1, sme: 1.25, enterprise: 1.5 };

export async function seedDemoRates(tx: Tx, now: Date): Promise<void> {
  // demoInstrumentPlans() maps the templates one to one, in order.
  const plans = demoInstrumentPlans();
  const rows = await tx
    .select({ id: instruments.id, slug: instruments.slug })
    .from(instruments)
    .where(inArray(instruments.slug, plans.map((p) => p.slug)));
  const idOf = new Map(rows.map((r) => [r.slug, r.id]));
  const values = plans.flatMap((plan, i) => {
    const [internal, external, unitText] = instrumentTemplates[i]!.fee;
    const unit = unitOf(unitText);
    const instrumentId = idOf.get(plan.slug)!;
    return (Object.keys(classFactor) as CustomerClass[]).map((customerClass) => {
      const price = customerClass === "internal" ? internal * 100 : tenYuan(external * classFactor[customerClass]);
      const company = customerClass === "sme" || customerClass === "enterprise";
      const tiers =
        unit === "hour"
          ? [{ upToUnits: 1, unitPriceFen: price }, { upToUnits: null, unitPriceFen: tenYuan((price / 100) * 0.8) }]
          : unit === "sample"
            ? [{ upToUnits: 10, unitPriceFen: price }, { upToUnits: null, unitPriceFen: tenYuan((price / 100) * 0.9) }]
            : [{ upToUnits: null, unitPriceFen: price }];
      return {
        instrumentId,
        customerClass,
        unit,
        tiers,
        minimumChargeFen: unit === "hour" && customerClass !== "internal" ? price : 0,
        setupFeeFen: unit === "hour" && company ? 100_00 : 0,
        roundingMinutes: unit === "hour" ? 30 : 0,
        discountPercent: 0,
        updatedAt: now,
      };
    });
  });
  await tx.insert(rates).values(values);
}
