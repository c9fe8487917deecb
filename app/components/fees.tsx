import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { CustomerClass, RateUnit } from "../../db/schema/billing-vocabulary";
import type { BillingPolicyTerms, QuoteLine, Quote, RateTerms } from "~/billing/quote";
import { formatMoney } from "~/lib/format";
import type { Locale } from "~/lib/i18n";

type ClassRate = RateTerms & { customerClass: CustomerClass };

/** "¥500.00/小时" */
function usePrice(locale: Locale) {
  const { t } = useTranslation("fees");
  return (fen: number, unit: RateUnit) => t("per", { price: formatMoney(fen, locale), unit: t(`unit.${unit}`) });
}

/** A rate's tiers in words: "前 1 小时：¥500.00/小时；其后：¥400.00/小时". */
export function TierText({ rate, locale }: { rate: RateTerms; locale: Locale }) {
  const { t } = useTranslation("fees");
  const price = usePrice(locale);
  if (rate.tiers.length === 1) return <>{price(rate.tiers[0]!.unitPriceFen, rate.unit)}</>;
  return (
    <ul className="fee-tiers">
      {rate.tiers.map((tier, i) => (
        <li key={i}>
          {tier.upToUnits === null || i === rate.tiers.length - 1
            ? t("tierRest", { price: price(tier.unitPriceFen, rate.unit) })
            : t("tierUpTo", { units: t(`count.${rate.unit}`, { count: tier.upToUnits }), price: price(tier.unitPriceFen, rate.unit) })}
        </li>
      ))}
    </ul>
  );
}

const roundingText = (t: TFunction<"fees">, minutes: number) =>
  minutes === 0 ? t("rounding.0") : t("rounding.other", { count: minutes });

/** The rates of one instrument, one row per customer class. */
export function FeeScheduleTable({ rates, locale, caption }: { rates: ClassRate[]; locale: Locale; caption: string }) {
  const { t } = useTranslation("fees");
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="manage-table fee-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("schedule.class")}</th>
            <th scope="col">{t("schedule.price")}</th>
            <th scope="col">{t("schedule.minimumCharge")}</th>
            <th scope="col">{t("schedule.setupFee")}</th>
            <th scope="col">{t("schedule.rounding")}</th>
            <th scope="col">{t("schedule.discount")}</th>
          </tr>
        </thead>
        <tbody>
          {rates.map((r) => (
            <tr key={r.customerClass}>
              <th scope="row">{t(`class.${r.customerClass}`)}</th>
              <td>
                <TierText rate={r} locale={locale} />
              </td>
              <td>{r.minimumChargeFen > 0 ? formatMoney(r.minimumChargeFen, locale) : t("schedule.none")}</td>
              <td>{r.setupFeeFen > 0 ? formatMoney(r.setupFeeFen, locale) : t("schedule.none")}</td>
              <td>{r.unit === "hour" || r.unit === "half_hour" ? roundingText(t, r.roundingMinutes) : t("schedule.none")}</td>
              <td>{r.discountPercent > 0 ? `${r.discountPercent}%` : t("schedule.none")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PolicyText({ policy }: { policy: BillingPolicyTerms }) {
  const { t } = useTranslation("fees");
  return (
    <ul className="fee-policy">
      <li>{t("schedule.cancellation", { hours: policy.freeCancellationHours, percent: policy.cancellationFeePercent })}</li>
      <li>{t("schedule.noShow", { percent: policy.noShowFeePercent })}</li>
      <li>{t("schedule.lateStart", { minutes: policy.lateStartGraceMinutes })}</li>
    </ul>
  );
}

function lineDetail(t: TFunction<"fees">, line: QuoteLine, locale: Locale, price: (fen: number, unit: RateUnit) => string) {
  const money = (fen: number) => formatMoney(fen, locale);
  switch (line.quantityUnit) {
    case "minute":
      return t("quote.minutes", { count: line.quantity, price: price(line.unitPriceFen, line.per ?? "hour") });
    case "sample":
    case "session":
      return t("quote.units", { units: t(`count.${line.quantityUnit}`, { count: line.quantity }), price: price(line.unitPriceFen, line.per ?? line.quantityUnit) });
    case "percent":
      return t("quote.percent", { percent: line.quantity, amount: money(line.unitPriceFen) });
    case "fen":
      return t("quote.minimum", { amount: money(line.quantity) });
  }
}

export interface ShownQuote {
  quote: Quote;
  rate: RateTerms;
  voucher?: { shares: { programmeId: string; fen: number; nameZh: string; nameEn: string }[]; voucherFen: number; companyFen: number };
}

/** A quote with every line explained, then the expected voucher split and what the company pays. */
export function QuoteTable({ shown, locale, lead }: { shown: ShownQuote; locale: Locale; lead: string }) {
  const { t } = useTranslation("fees");
  const price = usePrice(locale);
  const { quote, rate, voucher } = shown;
  const hasVoucher = voucher && voucher.voucherFen > 0;
  return (
    <section className="panel quote" aria-labelledby="quote-title">
      <h2 id="quote-title">{t("quote.title")}</h2>
      <p className="muted">{lead}</p>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="quote-title">
        <table className="manage-table quote-table">
          <thead>
            <tr>
              <th scope="col">{t("quote.item")}</th>
              <th scope="col">{t("quote.detail")}</th>
              <th scope="col" className="num">
                {t("quote.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {quote.lines.map((line, i) => (
              <tr key={i} className={`quote-line quote-line-${line.kind}`}>
                <th scope="row">{t(`quote.line.${line.kind}`)}</th>
                <td>{line.kind === "setup" ? t("quote.setupDetail") : lineDetail(t, line, locale, price)}</td>
                <td className="num">{formatMoney(line.amountFen, locale)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="quote-total">
              <th scope="row" colSpan={2}>
                {t("quote.total")}
              </th>
              <td className="num">{formatMoney(quote.totalFen, locale)}</td>
            </tr>
            {hasVoucher
              ? voucher.shares.map((share) => (
                  <tr key={share.programmeId} className="quote-line quote-line-voucher">
                    <th scope="row" colSpan={2}>
                      {t("quote.line.voucher", { name: locale === "en" ? share.nameEn : share.nameZh })}
                    </th>
                    <td className="num">{formatMoney(-share.fen, locale)}</td>
                  </tr>
                ))
              : null}
            {hasVoucher ? (
              <tr className="quote-total quote-company">
                <th scope="row" colSpan={2}>
                  {t("quote.companyPays")}
                </th>
                <td className="num">{formatMoney(voucher.companyFen, locale)}</td>
              </tr>
            ) : null}
          </tfoot>
        </table>
      </div>
      {(rate.unit === "hour" || rate.unit === "half_hour") && rate.roundingMinutes > 0 ? (
        <p className="field-hint">{t("quote.rounding", { count: rate.roundingMinutes })}</p>
      ) : null}
      {hasVoucher ? <p className="field-hint">{t("quote.voucherNote")}</p> : null}
    </section>
  );
}
