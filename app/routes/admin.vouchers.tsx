import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { customerClasses } from "../../db/schema/billing-vocabulary";
import { serviceModes } from "../../db/schema/vocabulary";
import { flashNotice } from "~/accounts/auth.server";
import { requireVoucherAdmin } from "~/accounts/authz.server";
import { programmeSchema } from "~/billing/vouchers";
import { createProgramme, issuerOptions, listProgrammes } from "~/billing/vouchers.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatMoney, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "vouchers"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireVoucherAdmin(request);
  const [programmes, issuers, t] = await Promise.all([listProgrammes(), issuerOptions(), i18nServer.getFixedT(request, "vouchers")]);
  return { title: `${t("programme.title")} · OpenLab`, programmes, issuers };
}

type ActionResult = { errors: FieldErrors; values: Record<string, string | string[]> };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireVoucherAdmin(request);
  const form = await formOf(request);
  const values: ActionResult["values"] = {};
  for (const key of new Set(form.keys())) if (key !== "_csrf") values[key] = form.getAll(key).map(String).length > 1 ? form.getAll(key).map(String) : String(form.get(key));
  const parsed = parseForm(programmeSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
  const result = await createProgramme(admin.id, parsed.data);
  if (!result.ok) return data<ActionResult>({ errors: result.errors, values }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "vouchers");
  return redirect("/admin/vouchers", { headers: { "Set-Cookie": await flashNotice(request, t("programme.created")) } });
}

export default function VoucherProgrammes() {
  const { t } = useTranslation("vouchers");
  const locale = useLocale();
  const { programmes, issuers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const value = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const chosen = (name: string, option: string, fallback: boolean) => {
    const v = values[name];
    if (v === undefined) return result ? false : fallback;
    return Array.isArray(v) ? v.includes(option) : v === option;
  };
  const money = (fen: number | null) => (fen === null ? t("programme.noCap") : formatMoney(fen, locale));
  return (
    <section className="section manage">
      <h1>{t("programme.title")}</h1>
      <p className="lead-muted">{t("programme.lead")}</p>
      {programmes.length === 0 ? (
        <p className="empty">{t("programme.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <thead>
              <tr>
                <th scope="col">{t("programme.stacking")}</th>
                <th scope="col">{t("company.programme")}</th>
                <th scope="col">{t("programme.coverage")}</th>
                <th scope="col">{t("programme.caps")}</th>
                <th scope="col">{t("programme.classes")}</th>
                <th scope="col">{t("programme.validity")}</th>
                <th scope="col">{t("programme.granted")}</th>
                <th scope="col">{t("programme.claimed")}</th>
              </tr>
            </thead>
            <tbody>
              {programmes.map(({ programme: p, issuerNameZh, issuerNameEn, grantedFen, claimedFen }) => (
                <tr key={p.id}>
                  <td>{p.stackingOrder}</td>
                  <td>
                    <strong>{localName(p, locale)}</strong>
                    <div className="muted">{localName({ nameZh: issuerNameZh, nameEn: issuerNameEn }, locale)}</div>
                  </td>
                  <td>{p.coveragePercent}%</td>
                  <td>
                    {t("programme.perClaim", { amount: money(p.perClaimCapFen) })}
                    <div className="muted">{t("programme.perYear", { amount: money(p.yearlyCapFen) })}</div>
                  </td>
                  <td>
                    {p.eligibleCustomerClasses.map((c) => t(`class.${c}`)).join("、")}
                    <div className="muted">{p.eligibleCategoryCodes.length ? p.eligibleCategoryCodes.join(" ") : t("programme.allCategories")}</div>
                  </td>
                  <td>
                    {p.validFrom} – {p.validUntil}
                  </td>
                  <td>{formatMoney(grantedFen, locale)}</td>
                  <td>{formatMoney(claimedFen, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("programme.new")}</h2>
      <Form method="post" className="form-card wide" noValidate>
        <CsrfInput />
        <FormError error={errors._form} />
        <div className={`field${errors.issuerOrganizationId ? " field-invalid" : ""}`}>
          <label htmlFor="issuer">{t("programme.issuer")}</label>
          <select id="issuer" name="issuerOrganizationId" defaultValue={value("issuerOrganizationId")}>
            {issuers.map((i) => (
              <option key={i.id} value={i.id}>
                {localName(i, locale)}
              </option>
            ))}
          </select>
          <FormError error={errors.issuerOrganizationId} />
        </div>
        <Field label={t("programme.nameZh")} name="nameZh" defaultValue={value("nameZh")} error={errors.nameZh} required maxLength={200} />
        <Field label={t("programme.nameEn")} name="nameEn" defaultValue={value("nameEn")} error={errors.nameEn} required maxLength={200} lang="en" />
        <Field
          label={t("programme.coverage")}
          name="coveragePercent"
          type="number"
          min={1}
          max={100}
          defaultValue={value("coveragePercent") ?? "50"}
          error={errors.coveragePercent}
          hint={t("programme.coverageHint")}
        />
        <Field label={t("programme.perClaimCap")} name="perClaimCap" inputMode="decimal" defaultValue={value("perClaimCap")} error={errors.perClaimCap} hint={t("programme.capHint")} />
        <Field label={t("programme.yearlyCap")} name="yearlyCap" inputMode="decimal" defaultValue={value("yearlyCap")} error={errors.yearlyCap} hint={t("programme.capHint")} />
        <fieldset className={`field choice-group${errors.eligibleCustomerClasses ? " field-invalid" : ""}`}>
          <legend>{t("programme.classes")}</legend>
          {customerClasses.map((c) => (
            <label key={c} className="choice">
              <input type="checkbox" name="eligibleCustomerClasses" value={c} defaultChecked={chosen("eligibleCustomerClasses", c, c === "sme")} />{t(`class.${c}`)}
            </label>
          ))}
          <FormError error={errors.eligibleCustomerClasses} />
        </fieldset>
        <Field
          label={t("programme.categories")}
          name="eligibleCategoryCodes"
          defaultValue={value("eligibleCategoryCodes")}
          error={errors.eligibleCategoryCodes}
          hint={t("programme.categoriesHint")}
        />
        <fieldset className="field choice-group">
          <legend>{t("programme.excluded")}</legend>
          {serviceModes.map((m) => (
            <label key={m} className="choice">
              <input type="checkbox" name="excludedServiceModes" value={m} defaultChecked={chosen("excludedServiceModes", m, false)} />{t(`common:serviceMode.${m}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t("programme.validFrom")} name="validFrom" type="date" defaultValue={value("validFrom")} error={errors.validFrom} required />
        <Field label={t("programme.validUntil")} name="validUntil" type="date" defaultValue={value("validUntil")} error={errors.validUntil} required />
        <Field
          label={t("programme.stacking")}
          name="stackingOrder"
          type="number"
          min={1}
          max={99}
          defaultValue={value("stackingOrder") ?? "1"}
          error={errors.stackingOrder}
          hint={t("programme.stackingHint")}
        />
        <SubmitButton>{t("programme.create")}</SubmitButton>
      </Form>
    </section>
  );
}
