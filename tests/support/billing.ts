import { eq } from "drizzle-orm";
import { charges, organizations, rates } from "../../db/schema";
import { customerClasses } from "../../db/schema/billing-vocabulary";
import type { Database } from "../../app/lib/db.server";
import type { RateTerms } from "../../app/billing/quote";

/** 300 元 per hour for every class, to the minute, no extras: easy arithmetic in tests. */
export const plainRate: RateTerms = {
  unit: "hour",
  tiers: [{ upToUnits: null, unitPriceFen: 30_000 }],
  minimumChargeFen: 0,
  setupFeeFen: 0,
  roundingMinutes: 0,
  discountPercent: 0,
};

/** Gives an instrument the same rate for every customer class, replacing its demo rates. */
export async function priceInstrument(d: Database, instrumentId: string, rate: RateTerms = plainRate) {
  await d.db
    .insert(rates)
    .values(customerClasses.map((customerClass) => ({ instrumentId, customerClass, ...rate })))
    .onConflictDoUpdate({ target: [rates.instrumentId, rates.customerClass], set: rate });
}

export async function organizationId(d: Database, slug: string): Promise<string> {
  const [row] = await d.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  return row!.id;
}

export async function chargeOf(d: Database, bookingId: string) {
  const [row] = await d.db.select().from(charges).where(eq(charges.bookingId, bookingId));
  return row ?? null;
}

/** Ledger transactions whose entries do not sum to zero (there must be none). */
export async function unbalancedTransactions(d: Database): Promise<number> {
  const { rows } = await d.executeSql(
    "select count(*)::int as n from (select transaction_id from ledger_entries group by transaction_id having sum(amount_fen) <> 0) t",
  );
  return Number(rows[0].n);
}
