// Forms of the finance pages and the monthly statement, as pure functions of their rows.
import { z } from "zod";
import { isValidCreditCode } from "~/accounts/credit-code";
import { isoDate, yuanAmount } from "./vouchers";

const uuid = z.string().uuid("validation.invalid");
const bankReference = z.string().trim().min(1).max(100);

/** Money the provider's bank received for a charge (对公转账); partial amounts are fine. */
export const offlinePaymentSchema = z.object({
  intent: z.literal("payment"),
  chargeId: uuid,
  amount: yuanAmount,
  receivedOn: isoDate,
  bankReference,
});

/** Money given back against one payment. */
export const refundSchema = z.object({
  intent: z.literal("refund"),
  paymentId: uuid,
  amount: yuanAmount,
  reason: z.string().trim().min(1).max(500),
});

/** A customer's prepaid deposit, identified by its unified social credit code. */
export const depositSchema = z.object({
  intent: z.literal("deposit"),
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidCreditCode, "finance:validation.creditCode"),
  amount: yuanAmount,
  receivedOn: isoDate,
  bankReference,
});

export const fapiaoIssueSchema = z.object({
  intent: z.literal("fapiao"),
  requestId: uuid,
  invoiceNumber: z.string().trim().regex(/^[0-9A-Za-z-]{6,30}$/, "finance:validation.invoiceNumber"),
});

/** The account customers transfer to (对公转账), shown on every charge of the institution. */
export const bankAccountSchema = z.object({
  intent: z.literal("bank"),
  accountName: z.string().trim().min(1).max(200),
  bankName: z.string().trim().min(1).max(200),
  accountNumber: z
    .string()
    .trim()
    .regex(/^[0-9][0-9 -]{5,38}[0-9]$/, "finance:validation.accountNumber"),
});

export const providerFinanceSchema = z.discriminatedUnion("intent", [offlinePaymentSchema, refundSchema, depositSchema, fapiaoIssueSchema, bankAccountSchema]);
export type ProviderFinanceInput = z.infer<typeof providerFinanceSchema>;

/** 发票申请: the buyer's details as they go on the fapiao; the tax id is the credit code. */
export const fapiaoRequestSchema = z.object({
  intent: z.literal("fapiao"),
  title: z.string().trim().min(1).max(200),
  taxId: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidCreditCode, "finance:validation.creditCode"),
  address: z.string().trim().max(300).default(""),
  phone: z.string().trim().max(40).default(""),
  bankName: z.string().trim().max(200).default(""),
  bankAccount: z.string().trim().max(60).default(""),
});
export type FapiaoRequestInput = z.infer<typeof fapiaoRequestSchema>;

/** A statement's month, YYYY-MM; anything else falls back to the given month. */
export const statementMonthSchema = (fallback: string) =>
  z.object({
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .catch(fallback),
    format: z.enum(["html", "xlsx"]).catch("html"),
  });

/** The first day of the month and of the next one, as dates. */
export function monthBounds(month: string): { from: string; until: string } {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, "0")}`;
  return { from: `${month}-01`, until: `${next}-01` };
}

export type StatementEventKind = "charge" | "payment" | "refund" | "deposit";

export interface StatementEvent {
  /** Local date, YYYY-MM-DD. */
  on: string;
  kind: StatementEventKind;
  reference: string;
  /** The other party: the provider on a customer's statement, the customer on a provider's. */
  counterpartyZh: string;
  counterpartyEn: string;
  /** The charge's whole amount and the voucher's part of it (charges only). */
  amountFen: number;
  voucherFen: number;
  /** payment method or refund's reason. */
  detail: string;
}

export interface StatementLine extends StatementEvent {
  /** What the customer still owes after this line. */
  balanceFen: number;
}

/**
 * The month's lines in date order with the running balance the customer owes: a charge adds its
 * customer share (amount less voucher), a payment takes its amount off. A refund lowers the
 * charge and the money received alike, and a deposit is prepaid money not yet owed, so neither
 * moves the balance.
 */
export function statementLines(openingFen: number, events: StatementEvent[]): { lines: StatementLine[]; closingFen: number; totals: Record<StatementEventKind | "voucher", number> } {
  const kindOrder: Record<StatementEventKind, number> = { deposit: 0, charge: 1, payment: 2, refund: 3 };
  const sorted = [...events].sort((a, b) => a.on.localeCompare(b.on) || kindOrder[a.kind] - kindOrder[b.kind] || a.reference.localeCompare(b.reference));
  const totals = { charge: 0, voucher: 0, payment: 0, refund: 0, deposit: 0 };
  let balance = openingFen;
  const lines = sorted.map((event) => {
    totals[event.kind] += event.amountFen;
    if (event.kind === "charge") {
      totals.voucher += event.voucherFen;
      balance += event.amountFen - event.voucherFen;
    } else if (event.kind === "payment") balance -= event.amountFen;
    return { ...event, balanceFen: balance };
  });
  return { lines, closingFen: balance, totals };
}
