// The ledger (DESIGN.md §7): every money movement is one transaction of entries that sums to zero.
// Debits are positive, credits negative. The database refuses an unbalanced transaction at commit
// and any change to posted entries (migration 0016), so corrections are always new transactions.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from "../../db/schema";
import type { LedgerAccountKind } from "../../db/schema/billing-vocabulary";
import type { Tx } from "~/lib/db.server";

export interface LedgerAccountRef {
  kind: LedgerAccountKind;
  /** The customer (receivable, prepaid balance) or the provider institution (payable, bank). */
  organizationId?: string;
  /** The voucher programme of a voucher receivable. */
  programmeId?: string;
  /** For a prepaid balance: the provider institution the customer deposited with. */
  counterpartyId?: string;
}

export interface LedgerEntryInput {
  account: LedgerAccountRef;
  amountFen: number;
}

export interface LedgerTransactionInput {
  kind: string;
  memo?: string;
  chargeId?: string | null;
  at?: Date;
  entries: LedgerEntryInput[];
}

export class UnbalancedLedgerTransaction extends Error {}

const keyOf = (ref: LedgerAccountRef) => ({
  kind: ref.kind,
  organizationId: ref.organizationId ?? null,
  programmeId: ref.programmeId ?? null,
  counterpartyId: ref.counterpartyId ?? null,
});

const matches = (ref: LedgerAccountRef) => {
  const key = keyOf(ref);
  return and(
    eq(ledgerAccounts.kind, key.kind),
    key.organizationId ? eq(ledgerAccounts.organizationId, key.organizationId) : isNull(ledgerAccounts.organizationId),
    key.programmeId ? eq(ledgerAccounts.programmeId, key.programmeId) : isNull(ledgerAccounts.programmeId),
    key.counterpartyId ? eq(ledgerAccounts.counterpartyId, key.counterpartyId) : isNull(ledgerAccounts.counterpartyId),
  );
};

/** The account's id, creating the account on first use. */
export async function ledgerAccountId(tx: Tx, ref: LedgerAccountRef): Promise<string> {
  const [created] = await tx.insert(ledgerAccounts).values(keyOf(ref)).onConflictDoNothing().returning({ id: ledgerAccounts.id });
  if (created) return created.id;
  const [found] = await tx.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(matches(ref));
  return found!.id;
}

/**
 * Posts one balanced transaction. Zero entries are left out (an internal charge has no platform
 * fee); amounts must be safe integers and sum to zero, else nothing is written.
 */
export async function postLedgerTransaction(tx: Tx, input: LedgerTransactionInput): Promise<{ id: string }> {
  const entries = input.entries.filter((e) => e.amountFen !== 0);
  if (entries.some((e) => !Number.isSafeInteger(e.amountFen))) throw new UnbalancedLedgerTransaction("ledger amounts must be integer fen");
  const total = entries.reduce((s, e) => s + e.amountFen, 0);
  if (total !== 0 || entries.length < 2) throw new UnbalancedLedgerTransaction(`ledger transaction ${input.kind} does not balance (${total})`);
  const accountIds: string[] = [];
  for (const entry of entries) accountIds.push(await ledgerAccountId(tx, entry.account));
  const [txn] = await tx
    .insert(ledgerTransactions)
    .values({ kind: input.kind, memo: input.memo ?? "", chargeId: input.chargeId ?? null, ...(input.at ? { at: input.at } : {}) })
    .returning({ id: ledgerTransactions.id });
  await tx.insert(ledgerEntries).values(entries.map((e, i) => ({ transactionId: txn!.id, accountId: accountIds[i]!, amountFen: e.amountFen })));
  return { id: txn!.id };
}

/** The sum of an account's entries (debit positive); 0 for an account never used. */
export async function accountBalance(tx: Tx, ref: LedgerAccountRef): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string | null>`sum(${ledgerEntries.amountFen})` })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(matches(ref));
  return Number(row?.total ?? 0);
}

export interface AccountBalance {
  kind: LedgerAccountKind;
  organizationId: string | null;
  counterpartyId: string | null;
  programmeId: string | null;
  balanceFen: number;
}

/** Every account of these organisations with its balance, in one query. */
export async function organizationBalances(tx: Tx, organizationIds: string[]): Promise<AccountBalance[]> {
  if (organizationIds.length === 0) return [];
  const rows = await tx
    .select({
      kind: ledgerAccounts.kind,
      organizationId: ledgerAccounts.organizationId,
      counterpartyId: ledgerAccounts.counterpartyId,
      programmeId: ledgerAccounts.programmeId,
      total: sql<string>`coalesce(sum(${ledgerEntries.amountFen}), 0)`,
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.accountId, ledgerAccounts.id))
    .where(inArray(ledgerAccounts.organizationId, organizationIds))
    .groupBy(ledgerAccounts.id);
  return rows.map(({ total, ...account }) => ({ ...account, balanceFen: Number(total) }));
}
