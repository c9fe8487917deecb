import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { customerClasses, rateUnits, type CustomerClass } from "../../db/schema/billing-vocabulary";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireInstrumentStaff } from "~/accounts/authz.server";
import { MAX_TIERS, policySchema, rateSchema, removeRateSchema, roundingChoices } from "~/billing/rate-form";
import { ratesPage, removeRate, savePolicy, saveRate } from "~/billing/rates.server";
import type { BillingPolicyTerms, RateTerms } from "~/billing/quote";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { fenToYuanString } from "~/lib/money";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "manage", "fees"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = await requireInstrumentStaff(request, params.id);
  const [page, t] = await Promise.all([ratesPage(id), i18nServer.getFixedT(request, "fees")]);
  if (!page) throw notFound();
  return { ...page, title: `${page.instrument.nameZh} · ${t("editor.title")} · OpenLab` };
}

const intentSchema = z.object({ intent: z.enum(["rate", "removeRate", "policy"]) });

type Answer = { intent: string; customerClass?: string; errors: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { id, viewer } = await requireInstrumentStaff(request, params.id);
  const actor = { userId: viewer.id, ip: clientIp(request, context) };
  const form = await formOf(request);
  const intent = intentSchema.safeParse({ intent: form.get("intent") });
  if (!intent.success) return data<Answer>({ intent: "", errors: { _form: "validation.invalid" } }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "fees");
  const done = async (notice: string) =>
    redirect(`/manage/instruments/${id}/rates`, { headers: { "Set-Cookie": await flashNotice(request, t(notice)) } });
  const now = new Date();
  switch (intent.data.intent) {
    case "rate": {
      const parsed = parseForm(rateSchema, form);
      const customerClass = String(form.get("customerClass") ?? "");
      if (!parsed.ok) return data<Answer>({ intent: "rate", customerClass, errors: parsed.errors }, { status: 400 });
      await saveRate(id, parsed.data, actor, now);
      return done("editor.saved");
    }
    case "removeRate": {
      const parsed = parseForm(removeRateSchema, form);
      if (!parsed.ok || !(await removeRate(id, parsed.data.customerClass, actor))) throw notFound();
      return done("editor.removed");
    }
    case "policy": {
      const parsed = parseForm(policySchema, form);
      if (!parsed.ok) return data<Answer>({ intent: "policy", errors: parsed.errors }, { status: 400 });
      await savePolicy(id, parsed.data, actor, now);
      return done("editor.policySaved");
    }
  }
}

export default function InstrumentRates() {
  const { instrument, lab, rates, policy } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const { t } = useTranslation("fees");
  const locale = useLocale();
  const name = localName(instrument, locale);
  return (
    <section className="section manage rates-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> /{" "}
        <Link to={`/manage/instruments/${instrument.id}`}>{name}</Link> / {t("editor.title")}
      </nav>
      <h1>{t("editor.heading", { name })}</h1>
      <p className="lead-muted">{t("editor.lead")}</p>
      {instrument.status !== "published" ? <p className="notice">{t("editor.notPublished")}</p> : null}
      <p>
        <Link to={`/instruments/${instrument.slug}/fees`}>{t("editor.publicPage")}</Link>
      </p>
      <FormError error={answer?.intent === "" ? answer.errors._form : undefined} />
      {customerClasses.map((c) => (
        <RateForm
          key={c}
          customerClass={c}
          rate={rates.find((r) => r.customerClass === c) ?? null}
          errors={answer?.intent === "rate" && answer.customerClass === c ? answer.errors : {}}
        />
      ))}
      <PolicyForm policy={policy} errors={answer?.intent === "policy" ? answer.errors : {}} />
    </section>
  );
}

function RateForm({ customerClass, rate, errors }: { customerClass: CustomerClass; rate: RateTerms | null; errors: Record<string, string> }) {
  const { t } = useTranslation("fees");
  const className = t(`class.${customerClass}`);
  const field = (suffix: string) => `rate-${customerClass}-${suffix}`;
  // Empty rows after the saved tiers let staff add one.
  const rows = Array.from({ length: MAX_TIERS }, (_, i) => rate?.tiers[i] ?? null);
  return (
    <Form method="post" className="panel rate-form" aria-labelledby={field("title")} key={JSON.stringify(rate)}>
      <CsrfInput />
      <input type="hidden" name="customerClass" value={customerClass} />
      <h2 id={field("title")}>{className}</h2>
      {rate ? null : <p className="muted">{t("editor.noRate")}</p>}
      <div className="hours-grid">
        <div className={`field${errors.unit ? " field-invalid" : ""}`}>
          <label htmlFor={field("unit")}>{t("editor.unit")}</label>
          <select id={field("unit")} name="unit" defaultValue={rate?.unit ?? "hour"}>
            {rateUnits.map((u) => (
              <option key={u} value={u}>
                {t(`unit.${u}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${errors.roundingMinutes ? " field-invalid" : ""}`}>
          <label htmlFor={field("rounding")}>{t("editor.roundingMinutes")}</label>
          <select id={field("rounding")} name="roundingMinutes" defaultValue={String(rate?.roundingMinutes ?? 30)}>
            {roundingChoices.map((n) => (
              <option key={n} value={n}>
                {n === 0 ? t("rounding.0") : t("rounding.other", { count: n })}
              </option>
            ))}
          </select>
          {errors.roundingMinutes ? <p className="field-error" role="alert">{t(errors.roundingMinutes)}</p> : null}
        </div>
      </div>
      <fieldset className={`rate-tiers${errors.tiers ? " field-invalid" : ""}`} aria-describedby={field("tiers-hint")}>
        <legend>{t("editor.tiers")}</legend>
        <p className="field-hint" id={field("tiers-hint")}>
          {t("editor.tiersHint")}
        </p>
        <div className="rate-tier-grid">
          {rows.map((tier, i) => (
            <div className="rate-tier" key={i}>
              <Field
                id={field(`price-${i}`)}
                label={t("editor.tierPrice", { n: i + 1 })}
                name="tierPrice"
                inputMode="decimal"
                maxLength={20}
                defaultValue={tier ? fenToYuanString(tier.unitPriceFen) : ""}
              />
              <Field
                id={field(`upto-${i}`)}
                label={t("editor.tierUpTo", { n: i + 1 })}
                name="tierUpTo"
                inputMode="numeric"
                maxLength={4}
                defaultValue={tier?.upToUnits == null ? "" : String(tier.upToUnits)}
              />
            </div>
          ))}
        </div>
        {errors.tiers ? (
          <p className="field-error" role="alert">
            {t(errors.tiers)}
          </p>
        ) : null}
      </fieldset>
      <div className="hours-grid">
        <Field id={field("minimum")} label={t("editor.minimumCharge")} name="minimumCharge" inputMode="decimal" maxLength={20} defaultValue={rate ? fenToYuanString(rate.minimumChargeFen) : "0.00"} error={errors.minimumCharge} />
        <Field id={field("setup")} label={t("editor.setupFee")} name="setupFee" inputMode="decimal" maxLength={20} defaultValue={rate ? fenToYuanString(rate.setupFeeFen) : "0.00"} error={errors.setupFee} />
        <Field id={field("discount")} label={t("editor.discountPercent")} name="discountPercent" type="number" min={0} max={100} defaultValue={String(rate?.discountPercent ?? 0)} error={errors.discountPercent} />
      </div>
      <div className="form-actions">
        <SubmitButton name="intent" value="rate">
          {t("editor.save", { class: className })}
        </SubmitButton>
        {rate ? (
          <button type="submit" className="button button-secondary" name="intent" value="removeRate" formNoValidate>
            {t("editor.remove")}
          </button>
        ) : null}
      </div>
    </Form>
  );
}

function PolicyForm({ policy, errors }: { policy: BillingPolicyTerms; errors: Record<string, string> }) {
  const { t } = useTranslation("fees");
  const number = (name: keyof BillingPolicyTerms, max: number, hint = false) => (
    <Field
      label={t(`editor.${name}`)}
      hint={hint ? t(`editor.${name}Hint`) : undefined}
      name={name}
      type="number"
      min={0}
      max={max}
      required
      defaultValue={String(policy[name])}
      error={errors[name]}
    />
  );
  return (
    <Form method="post" className="panel rate-form" key={JSON.stringify(policy)}>
      <CsrfInput />
      <h2>{t("editor.policy")}</h2>
      <div className="hours-grid">
        {number("freeCancellationHours", 720, true)}
        {number("cancellationFeePercent", 100)}
        {number("noShowFeePercent", 100)}
        {number("lateStartGraceMinutes", 480, true)}
      </div>
      <SubmitButton name="intent" value="policy">
        {t("editor.savePolicy")}
      </SubmitButton>
    </Form>
  );
}
