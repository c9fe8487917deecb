import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { providerApplicationTypes } from "../../db/schema/vocabulary";
import { flashNotice } from "~/accounts/auth.server";
import { requireUser } from "~/accounts/authz.server";
import { ApplicationEvents, ApplicationStatusChip } from "~/components/application-history";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { applicationSchema } from "~/catalogue/onboarding";
import { applicationsOfApplicant, submitApplication } from "~/catalogue/onboarding.server";
import { provinceName } from "~/catalogue/regions";
import { formOf } from "~/lib/form.server";
import { formatDateTime } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const [applications, t] = await Promise.all([applicationsOfApplicant(viewer.id), i18nServer.getFixedT(request, "onboarding")]);
  const institutionId = viewer.memberships.find((m) => m.role === "institution_admin")?.organizationId ?? null;
  return { title: `${t("apply.title")} · OpenLab`, applications, institutionId };
}

const textFields = ["nameZh", "nameEn", "type", "creditCode", "regionCode", "address", "contactName", "contactPhone", "contactEmail"];
type ActionResult = { errors: FieldErrors; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const form = await formOf(request);
  const values = Object.fromEntries(textFields.map((k) => [k, String(form.get(k) ?? "").slice(0, 300)]));
  const parsed = parseForm(applicationSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
  const letter = form.get("letter");
  const result = await submitApplication(viewer.id, parsed.data, letter instanceof File ? letter : null);
  if (!result.ok) return data<ActionResult>({ errors: result.errors, values }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "onboarding");
  return redirect("/apply", { headers: { "Set-Cookie": await flashNotice(request, t("apply.submitted")) } });
}

export default function Apply() {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  const { applications, institutionId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  const pending = applications.some((a) => a.status === "submitted");
  // Once accepted, the applicant manages the institution; a new application makes sense after a rejection.
  const accepted = applications.some((a) => a.status === "approved");
  return (
    <section className="section onboarding">
      <h1>{t("apply.title")}</h1>
      <p>{t("apply.lead")}</p>
      {institutionId ? (
        <p className="notice" role="status">
          {t("apply.alreadyAdmin")} <Link to={`/manage/institutions/${institutionId}`}>{t("apply.toInstitution")}</Link>
        </p>
      ) : null}

      {applications.length > 0 ? (
        <>
          <h2>{t("apply.history")}</h2>
          <ul className="application-list">
            {applications.map((a) => (
              <li key={a.id} className="panel">
                <h3>
                  {locale === "en" ? a.nameEn : a.nameZh} <ApplicationStatusChip status={a.status} />
                </h3>
                <p className="muted">
                  {t("apply.submittedAt", { time: formatDateTime(a.createdAt, locale) })} ·{" "}
                  <a href={`/apply/letter/${a.id}`}>{t("apply.letterLink")}</a>
                </p>
                {a.status === "rejected" && a.decisionReason ? (
                  <p>
                    <strong>{t("apply.reason")}</strong> {a.decisionReason}
                  </p>
                ) : null}
                {a.status === "approved" && a.organizationId ? (
                  <p>
                    <Link to={`/manage/institutions/${a.organizationId}`}>{t("apply.toInstitution")}</Link>
                  </p>
                ) : null}
                <ApplicationEvents events={a.events} />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {pending ? (
        <p className="notice" role="status">
          {t("apply.pending")}
        </p>
      ) : accepted ? null : (
        <Form method="post" encType="multipart/form-data" noValidate className="form-card wide">
          <h2>{applications[0]?.status === "rejected" ? t("apply.again") : t("apply.formTitle")}</h2>
          <CsrfInput />
          <FormError error={errors._form} />
          <Field label={t("field.nameZh")} name="nameZh" required defaultValue={values.nameZh} error={errors.nameZh} lang="zh-CN" />
          <Field label={t("field.nameEn")} name="nameEn" required defaultValue={values.nameEn} error={errors.nameEn} lang="en" />
          <div className={`field${errors.type ? " field-invalid" : ""}`}>
            <label htmlFor="field-type">{t("field.type")}</label>
            <select id="field-type" name="type" required defaultValue={values.type ?? "university"} aria-describedby={errors.type ? "field-type-error" : undefined}>
              {providerApplicationTypes.map((type) => (
                <option key={type} value={type}>
                  {t(`type.${type}`)}
                </option>
              ))}
            </select>
            {errors.type ? (
              <p className="field-error" id="field-type-error" role="alert">
                {t(errors.type)}
              </p>
            ) : null}
          </div>
          <Field
            label={t("field.creditCode")}
            name="creditCode"
            required
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            hint={t("field.creditCodeHint")}
            defaultValue={values.creditCode}
            error={errors.creditCode}
          />
          <Field
            label={t("field.regionCode")}
            name="regionCode"
            required
            inputMode="numeric"
            maxLength={6}
            hint={values.regionCode && !errors.regionCode ? provinceName(values.regionCode, locale) : t("field.regionCodeHint")}
            defaultValue={values.regionCode}
            error={errors.regionCode}
          />
          <Field label={t("field.address")} name="address" required autoComplete="street-address" defaultValue={values.address} error={errors.address} />
          <fieldset>
            <legend>{t("field.contact")}</legend>
            <Field label={t("field.contactName")} name="contactName" required autoComplete="name" defaultValue={values.contactName} error={errors.contactName} />
            <Field label={t("field.contactPhone")} name="contactPhone" type="tel" required autoComplete="tel" defaultValue={values.contactPhone} error={errors.contactPhone} />
            <Field label={t("field.contactEmail")} name="contactEmail" type="email" required autoComplete="email" defaultValue={values.contactEmail} error={errors.contactEmail} />
          </fieldset>
          <Field
            label={t("field.letter")}
            name="letter"
            type="file"
            accept="application/pdf,.pdf"
            required
            hint={t("field.letterHint")}
            error={errors.letter}
          />
          <SubmitButton>{t("apply.submit")}</SubmitButton>
        </Form>
      )}
    </section>
  );
}
