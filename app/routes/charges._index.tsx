import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireChargeHolder } from "~/accounts/authz.server";
import { outstandingFen } from "~/billing/charges.server";
import { customerCharges } from "~/billing/finance.server";
import { ChargeStatusChip } from "~/components/charge-status";
import { formatDate, formatMoney, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "finance"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { organizationIds } = await requireChargeHolder(request);
  const [rows, t] = await Promise.all([customerCharges(organizationIds), i18nServer.getFixedT(request, "finance")]);
  const charges = rows.map((row) => ({ ...row, outstandingFen: outstandingFen(row.charge) }));
  const owedFen = charges.reduce((sum, c) => sum + c.outstandingFen, 0);
  return { title: `${t("customer.title")} · OpenLab`, charges, owedFen };
}

/** 费用: the charges of the customer's organisation with voucher share, what was paid and what is still owed. */
export default function Charges() {
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const { charges, owedFen } = useLoaderData<typeof loader>();
  return (
    <section className="section manage">
      <h1>{t("customer.title")}</h1>
      <p className="lead-muted">
        {t("customer.lead")} <strong>{t("customer.owed", { amount: formatMoney(owedFen, locale) })}</strong>
      </p>
      <p>
        <Link to="/charges/statement">{t("statement.open")}</Link>
      </p>
      {charges.length === 0 ? (
        <p className="empty">{t("customer.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("charge.reference")}</th>
                <th scope="col">{t("charge.service")}</th>
                <th scope="col">{t("charge.provider")}</th>
                <th scope="col">{t("charge.status")}</th>
                <th scope="col" className="num">{t("charge.amount")}</th>
                <th scope="col" className="num">{t("charge.voucher")}</th>
                <th scope="col" className="num">{t("charge.paid")}</th>
                <th scope="col" className="num">{t("charge.outstanding")}</th>
                <th scope="col">{t("charge.due")}</th>
              </tr>
            </thead>
            <tbody>
              {charges.map(({ charge, bookingReference, instrumentNameZh, instrumentNameEn, provider, outstandingFen }) => (
                <tr key={charge.id}>
                  <td>
                    <Link to={`/charges/${charge.id}`}>{charge.reference}</Link>
                  </td>
                  <td>
                    {instrumentNameZh ? localName({ nameZh: instrumentNameZh, nameEn: instrumentNameEn ?? instrumentNameZh }, locale) : "—"}
                    <div className="muted">
                      {bookingReference ?? ""} · {t(`kind.${charge.kind}`)}
                    </div>
                  </td>
                  <td>{localName(provider, locale)}</td>
                  <td>
                    <ChargeStatusChip status={charge.status} />
                  </td>
                  <td className="num">{formatMoney(charge.amountFen, locale)}</td>
                  <td className="num">{formatMoney(charge.voucherFen, locale)}</td>
                  <td className="num">{formatMoney(charge.paidFen, locale)}</td>
                  <td className="num">
                    <strong>{formatMoney(outstandingFen, locale)}</strong>
                  </td>
                  <td>{formatDate(charge.dueOn, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
