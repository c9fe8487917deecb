import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireChargeHolder } from "~/accounts/authz.server";
import { outstandingFen } from "~/billing/charges.server";
import { fapiaoRequestSchema } from "~/billing/finance";
import { customerCharge, requestFapiao } from "~/billing/finance.server";
import type { QuoteLine } from "~/billing/quote";
import { startCheckout } from "~/billing/stripe.server";
import { ChargeStatusChip } from "~/components/charge-status";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDate, formatMoney, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { stripeEnabled } from "~/lib/stripe.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "finance", "vouchers", "complaints"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organizationIds } = await requireChargeHolder(request);
  const [found, t] = await Promise.all([customerCharge(organizationIds, params.id ?? ""), i18nServer.getFixedT(request, "finance")]);
  if (!found) throw notFound();
  const checkout = new URL(request.url).searchParams.get("checkout");
  return {
    title: `${found.charge.reference} · ${t("customer.title")} · OpenLab`,
    ...found,
    lines: found.charge.lines as QuoteLine[],
    outstandingFen: outstandingFen(found.charge),
    stripe: stripeEnabled(),
    checkout: checkout === "success" || checkout === "cancelled" ? checkout : null,
  };
}

type ActionResult = { errors: FieldErrors };

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer, organizationIds } = await requireChargeHolder(request);
  const found = await customerCharge(organizationIds, params.id ?? "");
  if (!found) throw notFound();
  const form = await formOf(request);
  const t = await i18nServer.getFixedT(request, "finance");
  if (form.get("intent") === "checkout") {
    if (!stripeEnabled()) return data<ActionResult>({ errors: { _form: "finance:refusal.stripe_off" } }, { status: 400 });
    const { charge } = found;
    const started = await startCheckout({ chargeId: charge.id, customerOrganizationId: charge.customerOrganizationId, actorUserId: viewer.id, origin: new URL(request.url).origin });
    if (!started.ok) return data<ActionResult>({ errors: { _form: `finance:refusal.${started.reason}` } }, { status: 400 });
    return redirect(started.url);
  }
  const parsed = parseForm(fapiaoRequestSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors }, { status: 400 });
  const result = await requestFapiao(viewer.id, organizationIds, found.charge.id, parsed.data);
  if (!result.ok) return data<ActionResult>({ errors: { [result.field]: `finance:refusal.${result.reason}` } }, { status: 400 });
  return redirect(`/charges/${params.id}`, { headers: { "Set-Cookie": await flashNotice(request, t("fapiao.requested")) } });
}

/** One charge: its lines explained, the voucher split, how to pay (transfer details, Stripe), payments and the fapiao. */
export default function ChargePage() {
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const { charge, lines, provider, customer, bookingReference, instrumentNameZh, instrumentNameEn, payments, refunds, bank, fapiao, outstandingFen, stripe, checkout } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors ?? {};
  return (
    <section className="section manage">
      <p className="muted">
        <Link to="/charges">{t("customer.title")}</Link>
      </p>
      <h1>
        {t("charge.title", { reference: charge.reference })} <ChargeStatusChip status={charge.status} />
      </h1>
      {checkout === "success" ? <p className="notice">{t("checkout.success")}</p> : null}
      {checkout === "cancelled" ? <p className="notice">{t("checkout.cancelled")}</p> : null}
      <p className="lead-muted">
        {localName(provider, locale)}
        {instrumentNameZh ? ` · ${localName({ nameZh: instrumentNameZh, nameEn: instrumentNameEn ?? instrumentNameZh }, locale)}` : ""}
        {bookingReference ? ` · ${bookingReference}` : ""} · {t(`kind.${charge.kind}`)} · <Link to={`/complaints/new?charge=${charge.id}`}>{t("complaints:link.charge")}</Link>
      </p>

      <h2>{t("charge.lines")}</h2>
      <div className="table-wrap">
        <table className="manage-table">
          <thead>
            <tr>
              <th scope="col">{t("charge.item")}</th>
              <th scope="col" className="num">{t("charge.quantity")}</th>
              <th scope="col" className="num">{t("charge.unitPrice")}</th>
              <th scope="col" className="num">{t("charge.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <tr key={i}>
                <td>{t(`line.${line.kind}`)}</td>
                <td className="num">{t(`unit.${line.quantityUnit}`, { value: line.quantity })}</td>
                <td className="num">{line.quantityUnit === "percent" ? "" : formatMoney(line.unitPriceFen, locale)}</td>
                <td className="num">{formatMoney(line.amountFen, locale)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>{t("charge.amount")}</th>
              <td className="num">{formatMoney(charge.amountFen, locale)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={3}>{t("charge.voucherShare")}</th>
              <td className="num">−{formatMoney(charge.voucherFen, locale)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={3}>{t("charge.customerShare")}</th>
              <td className="num">{formatMoney(charge.amountFen - charge.voucherFen, locale)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={3}>{t("charge.paid")}</th>
              <td className="num">{charge.paidFen > 0 ? "−" : ""}{formatMoney(charge.paidFen, locale)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={3}>{t("charge.outstanding")}</th>
              <td className="num">
                <strong>{formatMoney(outstandingFen, locale)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>

      {outstandingFen > 0 ? (
        <>
          <h2>{t("pay.title")}</h2>
          <p>{t("pay.due", { date: formatDate(charge.dueOn, locale) })}</p>
          <div className="form-card wide">
            <h3>{t("pay.transfer")}</h3>
            {bank ? (
              <dl className="facts">
                <dt>{t("pay.accountName")}</dt>
                <dd>{bank.accountName}</dd>
                <dt>{t("pay.bankName")}</dt>
                <dd>{bank.bankName}</dd>
                <dt>{t("pay.accountNumber")}</dt>
                <dd>{bank.accountNumber}</dd>
                <dt>{t("pay.referenceCode")}</dt>
                <dd>
                  <strong>{charge.reference}</strong>
                </dd>
              </dl>
            ) : (
              <p className="muted">{t("pay.noBank")}</p>
            )}
            <p className="muted">{t("pay.referenceHint", { reference: charge.reference })}</p>
          </div>
          {stripe ? (
            <Form method="post" className="form-card wide">
              <h3>{t("pay.online")}</h3>
              <CsrfInput />
              <input type="hidden" name="intent" value="checkout" />
              <FormError error={errors._form} />
              <SubmitButton>{t("pay.stripe", { amount: formatMoney(outstandingFen, locale) })}</SubmitButton>
            </Form>
          ) : null}
        </>
      ) : null}

      <h2>{t("charge.payments")}</h2>
      {payments.length === 0 ? (
        <p className="empty">{t("charge.noPayments")}</p>
      ) : (
        <ul>
          {payments.map((p) => (
            <li key={p.id}>
              {formatDate(p.receivedOn, locale)} · {t(`method.${p.method}`)} · {formatMoney(p.amountFen, locale)}
              {p.bankReference ? ` · ${p.bankReference}` : ""}
            </li>
          ))}
          {refunds.map((r) => (
            <li key={r.id}>
              {formatDate(r.createdAt, locale)} · {t("charge.refund")} · −{formatMoney(r.amountFen, locale)} · {r.reason}
            </li>
          ))}
        </ul>
      )}

      <h2>{t("fapiao.title")}</h2>
      {fapiao ? (
        <p>
          {t(`fapiao.status.${fapiao.status}`)} · {fapiao.title} · {fapiao.taxId}
          {fapiao.invoiceNumber ? ` · ${t("fapiao.number")} ${fapiao.invoiceNumber}` : ""}
        </p>
      ) : (
        <Form method="post" className="form-card wide" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="fapiao" />
          {errors._form && errors._form !== "finance:refusal.stripe_off" ? <FormError error={errors._form} /> : null}
          <Field label={t("fapiao.buyer")} name="title" defaultValue={customer.nameZh} error={errors.title} required maxLength={200} />
          <Field label={t("fapiao.taxId")} name="taxId" defaultValue={customer.creditCode ?? ""} error={errors.taxId} hint={t("fapiao.taxIdHint")} required maxLength={18} />
          <Field label={t("fapiao.address")} name="address" error={errors.address} maxLength={300} />
          <Field label={t("fapiao.phone")} name="phone" error={errors.phone} maxLength={40} />
          <Field label={t("fapiao.bankName")} name="bankName" error={errors.bankName} maxLength={200} />
          <Field label={t("fapiao.bankAccount")} name="bankAccount" error={errors.bankAccount} maxLength={60} />
          <SubmitButton>{t("fapiao.submit")}</SubmitButton>
        </Form>
      )}
    </section>
  );
}
