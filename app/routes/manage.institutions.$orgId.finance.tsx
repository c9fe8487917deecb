import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { requireInstitutionFinance } from "~/accounts/authz.server";
import { outstandingFen } from "~/billing/charges.server";
import { providerFinanceSchema } from "~/billing/finance";
import { applyProviderFinance, providerFinance, todayInShanghai } from "~/billing/finance.server";
import { ChargeStatusChip } from "~/components/charge-status";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDate, formatMoney, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "finance", "vouchers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInstitutionFinance(request, params.orgId ?? "");
  const [finance, t] = await Promise.all([providerFinance(params.orgId!), i18nServer.getFixedT(request, "finance")]);
  return {
    title: `${t("provider.title")} · OpenLab`,
    ...finance,
    charges: finance.charges.map((row) => ({ ...row, outstandingFen: outstandingFen(row.charge) })),
    today: todayInShanghai(),
  };
}

/** Which form the errors belong to: the charge, payment or fapiao request it was about, "bank" or "deposit". */
type ActionResult = { errors: FieldErrors; formKey: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireInstitutionFinance(request, params.orgId ?? "");
  const form = await formOf(request);
  const formKey = String(form.get("chargeId") ?? form.get("paymentId") ?? form.get("requestId") ?? (form.get("intent") === "bank" ? "bank" : "deposit")).slice(0, 40);
  const parsed = parseForm(providerFinanceSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, formKey }, { status: 400 });
  const result = await applyProviderFinance(viewer.id, params.orgId!, parsed.data);
  if (!result.ok) return data<ActionResult>({ errors: { [result.field]: `finance:refusal.${result.reason}` }, formKey }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "finance");
  return redirect(`/manage/institutions/${params.orgId}/finance`, { headers: { "Set-Cookie": await flashNotice(request, t(`provider.done.${parsed.data.intent}`)) } });
}

/** Provider finance: charges owed with received transfers and refunds, deposits, fapiao requests. */
export default function ProviderFinance() {
  const { t } = useTranslation("finance");
  const locale = useLocale();
  const { charges, deposits, fapiao, bank, today } = useLoaderData<typeof loader>();
  const { orgId } = useParams();
  const result = useActionData<typeof action>();
  const errorsFor = (key: string) => (result?.formKey === key ? result.errors : {});
  const depositErrors = errorsFor("deposit");
  const bankErrors = errorsFor("bank");
  return (
    <section className="section manage">
      <h1>{t("provider.title")}</h1>
      <p className="lead-muted">
        {bank ? t("provider.bank", { bank: `${bank.accountName} · ${bank.bankName} · ${bank.accountNumber}` }) : t("pay.noBank")}
      </p>
      <p>
        <Link to={`/manage/institutions/${orgId}/statement`}>
          {t("statement.open")}
        </Link>
      </p>

      <h2>{t("provider.charges")}</h2>
      {charges.length === 0 ? <p className="empty">{t("provider.empty")}</p> : null}
      {charges.map(({ charge, customer, bookingReference, instrumentNameZh, instrumentNameEn, payments, outstandingFen }) => {
        const errors = errorsFor(charge.id);
        return (
          <article key={charge.id} className="form-card wide finance-charge" aria-labelledby={`charge-${charge.id}`}>
            <h3 id={`charge-${charge.id}`}>
              {charge.reference} · {localName(customer, locale)} <ChargeStatusChip status={charge.status} />
            </h3>
            <p className="muted">
              {instrumentNameZh ? localName({ nameZh: instrumentNameZh, nameEn: instrumentNameEn ?? instrumentNameZh }, locale) : ""} {bookingReference ?? ""} · {t(`kind.${charge.kind}`)} ·{" "}
              {t("charge.due")} {formatDate(charge.dueOn, locale)}
            </p>
            <p>
              {t("charge.amount")} {formatMoney(charge.amountFen, locale)} · {t("charge.voucher")} {formatMoney(charge.voucherFen, locale)} · {t("charge.paid")}{" "}
              {formatMoney(charge.paidFen, locale)} · {t("charge.refunded")} {formatMoney(charge.refundedFen, locale)} ·{" "}
              <strong>
                {t("charge.outstanding")} {formatMoney(outstandingFen, locale)}
              </strong>
            </p>
            {payments.length ? (
              <ul className="finance-payments">
                {payments.map((p) => {
                  const refundErrors = errorsFor(p.id);
                  return (
                    <li key={p.id}>
                      {formatDate(p.receivedOn, locale)} · {t(`method.${p.method}`)} · {formatMoney(p.amountFen, locale)}
                      {p.bankReference ? ` · ${p.bankReference}` : ""}
                      {p.refundableFen > 0 ? (
                        <details open={result?.formKey === p.id}>
                          <summary>{t("provider.refund")}</summary>
                          <Form method="post" className="inline-form" noValidate>
                            <CsrfInput />
                            <input type="hidden" name="intent" value="refund" />
                            <input type="hidden" name="paymentId" value={p.id} />
                            <FormError error={refundErrors._form ?? refundErrors.paymentId} />
                            <Field id={`refund-amount-${p.id}`} label={t("provider.amount")} name="amount" inputMode="decimal" error={refundErrors.amount} hint={t("provider.refundable", { amount: formatMoney(p.refundableFen, locale) })} required />
                            <Field id={`refund-reason-${p.id}`} label={t("provider.reason")} name="reason" error={refundErrors.reason} required maxLength={500} />
                            <SubmitButton>{p.method === "stripe" ? t("provider.refundStripe") : t("provider.refundRecord")}</SubmitButton>
                          </Form>
                        </details>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            ) : null}
            {outstandingFen > 0 ? (
              <details open={result?.formKey === charge.id}>
                <summary>{t("provider.recordTransfer")}</summary>
                <Form method="post" className="inline-form" noValidate>
                  <CsrfInput />
                  <input type="hidden" name="intent" value="payment" />
                  <input type="hidden" name="chargeId" value={charge.id} />
                  <FormError error={errors._form ?? errors.chargeId} />
                  <Field id={`amount-${charge.id}`} label={t("provider.amount")} name="amount" inputMode="decimal" defaultValue={(outstandingFen / 100).toFixed(2)} error={errors.amount} required />
                  <Field id={`received-${charge.id}`} label={t("provider.receivedOn")} name="receivedOn" type="date" defaultValue={today} error={errors.receivedOn} required />
                  <Field id={`bankref-${charge.id}`} label={t("provider.bankReference")} name="bankReference" error={errors.bankReference} hint={t("provider.bankReferenceHint")} required maxLength={100} />
                  <SubmitButton>{t("provider.recordTransfer")}</SubmitButton>
                </Form>
              </details>
            ) : null}
          </article>
        );
      })}

      <h2>{t("provider.deposits")}</h2>
      <p className="muted">{t("provider.depositLead")}</p>
      {deposits.length ? (
        <ul>
          {deposits.map(({ deposit, customer }) => (
            <li key={deposit.id}>
              {formatDate(deposit.receivedOn, locale)} · {localName(customer, locale)} · {formatMoney(deposit.amountFen, locale)} · {deposit.bankReference}
            </li>
          ))}
        </ul>
      ) : null}
      <Form method="post" className="form-card wide" noValidate aria-label={t("provider.recordDeposit")}>
        <CsrfInput />
        <input type="hidden" name="intent" value="deposit" />
        <FormError error={depositErrors._form} />
        <Field id="deposit-code" label={t("provider.creditCode")} name="creditCode" error={depositErrors.creditCode} required maxLength={18} />
        <Field id="deposit-amount" label={t("provider.amount")} name="amount" inputMode="decimal" error={depositErrors.amount} required />
        <Field id="deposit-received" label={t("provider.receivedOn")} name="receivedOn" type="date" defaultValue={today} error={depositErrors.receivedOn} required />
        <Field id="deposit-bankref" label={t("provider.bankReference")} name="bankReference" error={depositErrors.bankReference} required maxLength={100} />
        <SubmitButton>{t("provider.recordDeposit")}</SubmitButton>
      </Form>

      <h2>{t("provider.bankTitle")}</h2>
      <p className="muted">{t("provider.bankLead")}</p>
      <Form method="post" className="form-card wide" noValidate aria-label={t("provider.bankTitle")}>
        <CsrfInput />
        <input type="hidden" name="intent" value="bank" />
        <FormError error={bankErrors._form} />
        <Field id="bank-account-name" label={t("pay.accountName")} name="accountName" defaultValue={bank?.accountName} error={bankErrors.accountName} required maxLength={200} />
        <Field id="bank-name" label={t("pay.bankName")} name="bankName" defaultValue={bank?.bankName} error={bankErrors.bankName} required maxLength={200} />
        <Field id="bank-account-number" label={t("pay.accountNumber")} name="accountNumber" defaultValue={bank?.accountNumber} error={bankErrors.accountNumber} required maxLength={40} inputMode="numeric" />
        <SubmitButton>{t("provider.saveBank")}</SubmitButton>
      </Form>

      <h2>{t("fapiao.requests")}</h2>
      {fapiao.length === 0 ? <p className="empty">{t("fapiao.none")}</p> : null}
      {fapiao.map(({ request, reference, amountFen, voucherFen }) => {
        const errors = errorsFor(request.id);
        return (
          <article key={request.id} className="form-card wide">
            <h3>
              {reference} · {t(`fapiao.status.${request.status}`)}
            </h3>
            <p>
              {request.title} · {request.taxId} · {formatMoney(amountFen - voucherFen, locale)}
              {request.address ? ` · ${request.address}` : ""}
              {request.phone ? ` · ${request.phone}` : ""}
              {request.bankName ? ` · ${request.bankName} ${request.bankAccount}` : ""}
            </p>
            {request.status === "issued" ? (
              <p>
                {t("fapiao.number")} {request.invoiceNumber}
              </p>
            ) : (
              <Form method="post" className="inline-form" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="fapiao" />
                <input type="hidden" name="requestId" value={request.id} />
                <FormError error={errors._form} />
                <Field id={`invoice-${request.id}`} label={t("fapiao.number")} name="invoiceNumber" error={errors.invoiceNumber} required maxLength={30} />
                <SubmitButton>{t("fapiao.markIssued")}</SubmitButton>
              </Form>
            )}
          </article>
        );
      })}
    </section>
  );
}
