import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { MonthlyStatement } from "~/billing/statements.server";
import { formatMoney, localName } from "~/lib/format";
import { useLocale } from "~/root";

type Serialized = Omit<MonthlyStatement, "organization"> & { organization: { nameZh: string; nameEn: string; creditCode: string | null } };

/** A monthly statement as a printable page: month picker, the lines, opening and closing balance. */
export function StatementView({ statement, xlsxHref }: { statement: Serialized; xlsxHref: string }) {
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const { organization, lines, openingFen, closingFen, totals, month, side } = statement;
  return (
    <section className="section manage statement">
      <h1>
        {t("statement.title")} · {month}
      </h1>
      <p className="lead-muted">
        {localName(organization, locale)}
        {organization.creditCode ? ` · ${organization.creditCode}` : ""} · {t(`statement.side.${side}`)}
      </p>
      <Form method="get" className="statement-controls no-print">
        <label htmlFor="statement-month">{t("statement.month")}</label>
        <input id="statement-month" type="month" name="month" defaultValue={month} />
        <button type="submit" className="button button-small">
          {t("statement.show")}
        </button>
        <a href={xlsxHref}>{t("statement.xlsx")}</a>
        <button type="button" className="link-button" onClick={() => window.print()}>
          {t("statement.print")}
        </button>
      </Form>
      <div className="table-wrap">
        <table className="manage-table">
          <thead>
            <tr>
              <th scope="col">{t("statement.date")}</th>
              <th scope="col">{t("statement.kind")}</th>
              <th scope="col">{t("statement.reference")}</th>
              <th scope="col">{t("statement.counterparty")}</th>
              <th scope="col" className="num">{t("statement.amount")}</th>
              <th scope="col" className="num">{t("statement.voucher")}</th>
              <th scope="col">{t("statement.detail")}</th>
              <th scope="col" className="num">{t("statement.balance")}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{month}-01</td>
              <td colSpan={6}>{t("statement.opening")}</td>
              <td className="num">{formatMoney(openingFen, locale)}</td>
            </tr>
            {lines.map((line, i) => (
              <tr key={i}>
                <td>{line.on}</td>
                <td>{t(`statement.kinds.${line.kind}`)}</td>
                <td>{line.reference}</td>
                <td>{localName({ nameZh: line.counterpartyZh, nameEn: line.counterpartyEn }, locale)}</td>
                <td className="num">{formatMoney(line.amountFen, locale)}</td>
                <td className="num">{line.kind === "charge" ? formatMoney(line.voucherFen, locale) : ""}</td>
                <td>{line.detail}</td>
                <td className="num">{formatMoney(line.balanceFen, locale)}</td>
              </tr>
            ))}
            {lines.length === 0 ? (
              <tr>
                <td colSpan={8} className="empty">
                  {t("statement.empty")}
                </td>
              </tr>
            ) : null}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={7}>{t("statement.closing")}</th>
              <td className="num">
                <strong>{formatMoney(closingFen, locale)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      <dl className="facts">
        {(["charge", "voucher", "payment", "refund", "deposit"] as const).map((kind) => (
          <div key={kind}>
            <dt>{t(`statement.totals.${kind}`)}</dt>
            <dd>{formatMoney(totals[kind], locale)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
