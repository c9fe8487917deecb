// Monthly statements (对账单) of a customer organisation or a provider institution: the month's
// charges, vouchers, payments, refunds and deposits with the balance owed, as a page and as XLSX.
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { TFunction } from "i18next";
import { charges, deposits, organizations, payments, refunds } from "../../db/schema";
import { xlsxStream, type SheetSpec } from "~/catalogue/spreadsheet.server";
import { getDb } from "~/lib/db.server";
import { localName } from "~/lib/format";
import type { Locale } from "~/lib/i18n";
import { fenToYuanString } from "~/lib/money";
import { monthBounds, statementLines, type StatementEvent } from "./finance";

export type StatementSide = "customer" | "provider";

const other = alias(organizations, "other_org");
const localDay = (column: SQL | unknown) => sql<string>`to_char(${column} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
const asDate = (column: unknown) => sql<string>`to_char(${column}, 'YYYY-MM-DD')`;

/** The statement of one organisation for one month (YYYY-MM); null when the organisation does not exist. */
export async function monthlyStatement(side: StatementSide, organizationId: string, month: string) {
  const db = await getDb();
  const { from, until } = monthBounds(month);
  const own = side === "customer" ? charges.customerOrganizationId : charges.providerOrganizationId;
  const counterparty = side === "customer" ? charges.providerOrganizationId : charges.customerOrganizationId;
  const chargeDay = sql`(${charges.createdAt} at time zone 'Asia/Shanghai')::date`;
  const refundDay = sql`(${refunds.createdAt} at time zone 'Asia/Shanghai')::date`;
  const party = { counterpartyZh: other.nameZh, counterpartyEn: other.nameEn };
  const [[organization], charged, paid, refunded, deposited, [owedBefore], [paidBefore]] = await Promise.all([
    db.select({ nameZh: organizations.nameZh, nameEn: organizations.nameEn, creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.id, organizationId)),
    db
      .select({ on: localDay(charges.createdAt), reference: charges.reference, amountFen: charges.amountFen, voucherFen: charges.voucherFen, kind: charges.kind, ...party })
      .from(charges)
      .innerJoin(other, eq(other.id, counterparty))
      .where(and(eq(own, organizationId), sql`${chargeDay} >= ${from}::date and ${chargeDay} < ${until}::date`)),
    db
      .select({ on: asDate(payments.receivedOn), reference: charges.reference, amountFen: payments.amountFen, method: payments.method, bankReference: payments.bankReference, ...party })
      .from(payments)
      .innerJoin(charges, eq(charges.id, payments.chargeId))
      .innerJoin(other, eq(other.id, counterparty))
      .where(and(eq(own, organizationId), gte(payments.receivedOn, from), lt(payments.receivedOn, until))),
    db
      .select({ on: localDay(refunds.createdAt), reference: charges.reference, amountFen: refunds.amountFen, reason: refunds.reason, ...party })
      .from(refunds)
      .innerJoin(charges, eq(charges.id, refunds.chargeId))
      .innerJoin(other, eq(other.id, counterparty))
      .where(and(eq(own, organizationId), sql`${refundDay} >= ${from}::date and ${refundDay} < ${until}::date`)),
    db
      .select({ on: asDate(deposits.receivedOn), reference: deposits.bankReference, amountFen: deposits.amountFen, ...party })
      .from(deposits)
      .innerJoin(other, eq(other.id, side === "customer" ? deposits.providerOrganizationId : deposits.customerOrganizationId))
      .where(and(eq(side === "customer" ? deposits.customerOrganizationId : deposits.providerOrganizationId, organizationId), gte(deposits.receivedOn, from), lt(deposits.receivedOn, until))),
    db
      .select({ fen: sql<string>`coalesce(sum(${charges.amountFen} - ${charges.voucherFen}), 0)` })
      .from(charges)
      .where(and(eq(own, organizationId), sql`${chargeDay} < ${from}::date`)),
    db
      .select({ fen: sql<string>`coalesce(sum(${payments.amountFen}), 0)` })
      .from(payments)
      .innerJoin(charges, eq(charges.id, payments.chargeId))
      .where(and(eq(own, organizationId), lt(payments.receivedOn, from))),
  ]);
  if (!organization) return null;
  const events: StatementEvent[] = [
    ...charged.map((c) => ({ ...c, kind: "charge" as const, detail: c.kind })),
    ...paid.map((p) => ({ ...p, kind: "payment" as const, voucherFen: 0, detail: p.bankReference ? `${p.method} · ${p.bankReference}` : p.method })),
    ...refunded.map((r) => ({ ...r, kind: "refund" as const, voucherFen: 0, detail: r.reason })),
    ...deposited.map((d) => ({ ...d, kind: "deposit" as const, voucherFen: 0, detail: "" })),
  ];
  const openingFen = Number(owedBefore?.fen ?? 0) - Number(paidBefore?.fen ?? 0);
  return { organization, side, month, openingFen, ...statementLines(openingFen, events) };
}

export type MonthlyStatement = NonNullable<Awaited<ReturnType<typeof monthlyStatement>>>;

/** The statement as an XLSX download, amounts in yuan. */
export function statementXlsx(statement: MonthlyStatement, t: TFunction, locale: Locale) {
  const columns = ["date", "kind", "reference", "counterparty", "amount", "voucher", "detail", "balance"] as const;
  const spec: SheetSpec = {
    sheetName: `${t("finance:statement.title")} ${statement.month}`,
    headers: columns.map((c) => t(`finance:statement.${c}`)),
    widths: [12, 10, 20, 30, 14, 14, 30, 14],
    textColumns: [2],
  };
  async function* rows() {
    yield [`${statement.month}-01`, t("finance:statement.opening"), "", "", "", "", "", fenToYuanString(statement.openingFen)];
    for (const line of statement.lines) {
      yield [
        line.on,
        t(`finance:statement.kinds.${line.kind}`),
        line.reference,
        localName({ nameZh: line.counterpartyZh, nameEn: line.counterpartyEn }, locale),
        fenToYuanString(line.amountFen),
        line.kind === "charge" ? fenToYuanString(line.voucherFen) : "",
        line.detail,
        fenToYuanString(line.balanceFen),
      ];
    }
    yield ["", t("finance:statement.closing"), "", "", "", "", "", fenToYuanString(statement.closingFen)];
  }
  return {
    body: xlsxStream(spec, rows()),
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename: `statement-${statement.side}-${statement.month}.xlsx`,
  };
}
