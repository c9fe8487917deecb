import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireOrgAdmin } from "~/accounts/authz.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { VerifiedBadge } from "~/components/verified-badge";
import { formOf } from "~/lib/form.server";
import { formatDate, formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm } from "~/lib/validation";
import { verificationFormSchema, verificationPath } from "~/trust/verification";
import { submitVerification, verificationPage } from "~/trust/verifications.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding", "verification"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const orgId = params.orgId ?? "";
  await requireOrgAdmin(request, orgId);
  const [page, t] = await Promise.all([verificationPage(orgId), i18nServer.getFixedT(request, "verification")]);
  if (!page) throw notFound();
  return { ...page, title: `${page.organization.nameZh} · ${t("org.title")} · OpenLab` };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const orgId = params.orgId ?? "";
  const viewer = await requireOrgAdmin(request, orgId);
  const form = await formOf(request);
  const values = { creditCode: String(form.get("creditCode") ?? "").slice(0, 40) };
  const parsed = parseForm(verificationFormSchema, new URLSearchParams(values));
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 });
  const licence = form.get("licence");
  const result = await submitVerification(orgId, parsed.data.creditCode, licence instanceof File ? licence : null, { userId: viewer.id, ip: clientIp(request, context) });
  if (!result.ok) return data({ errors: result.errors, values }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "verification");
  return redirect(verificationPath(orgId), { headers: { "Set-Cookie": await flashNotice(request, t("org.submitted")) } });
}

/** An organisation's verification: its state, its requests, and the form while it is unverified. */
export default function OrganizationVerification() {
  const { organization, requests } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("verification");
  const locale = useLocale();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const waiting = requests.some((r) => r.status === "submitted");
  return (
    <section className="section onboarding verification-page">
      <h1>
        {localName(organization, locale)} <VerifiedBadge verifiedAt={organization.verifiedAt} />
      </h1>
      <p className="lead-muted">{t("org.lead")}</p>
      {organization.verifiedAt ? (
        <p className="notice" role="status">
          {t("org.verified", { date: formatDate(organization.verifiedAt, locale), code: organization.creditCode ?? "" })}
        </p>
      ) : waiting ? (
        <p className="notice" role="status">
          {t("org.waiting")}
        </p>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate className="form-card wide">
          <CsrfInput />
          <h2>{requests.length > 0 ? t("org.again") : t("org.formTitle")}</h2>
          <FormError error={errors._form} />
          <Field label={t("onboarding:field.creditCode")} name="creditCode" required maxLength={40} autoComplete="off" defaultValue={result?.values.creditCode ?? organization.creditCode ?? ""} hint={t("onboarding:field.creditCodeHint")} error={errors.creditCode} />
          <Field label={t("org.licence")} name="licence" type="file" accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg" required hint={t("org.licenceHint")} error={errors.licence} />
          <SubmitButton>{t("org.submit")}</SubmitButton>
        </Form>
      )}
      {requests.length > 0 ? (
        <>
          <h2>{t("org.history")}</h2>
          <ul className="application-list">
            {requests.map((r) => (
              <li key={r.id} className="panel">
                <p>
                  <span className="chip">{t(`status.${r.status}`)}</span> <code>{r.creditCode}</code> · {t("org.submittedAt", { time: formatDateTime(r.submittedAt, locale) })}
                </p>
                {r.status === "rejected" && r.reason ? (
                  <p>
                    <strong>{t("org.reason")}</strong> {r.reason}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
