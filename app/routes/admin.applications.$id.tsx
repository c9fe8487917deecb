import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requirePlatformAdmin } from "~/accounts/authz.server";
import { ApplicationEvents, ApplicationStatusChip } from "~/components/application-history";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { decisionSchema } from "~/catalogue/onboarding";
import { decideApplication, getApplication } from "~/catalogue/onboarding.server";
import { provinceName } from "~/catalogue/regions";
import { formOf } from "~/lib/form.server";
import { formatDateTime } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

const idSchema = z.string().uuid();

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  if (!idSchema.safeParse(params.id).success) throw notFound();
  const [application, t] = await Promise.all([getApplication(params.id!), i18nServer.getFixedT(request, "onboarding")]);
  if (!application) throw notFound();
  return { title: `${application.nameZh} · ${t("review.title")} · OpenLab`, application };
}

type ActionResult = { errors: FieldErrors; reason: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  if (!idSchema.safeParse(params.id).success) throw notFound();
  const form = await formOf(request);
  const reason = String(form.get("reason") ?? "").slice(0, 1000);
  const parsed = parseForm(decisionSchema, form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, reason }, { status: 400 });
  const result = await decideApplication(params.id!, { userId: admin.id, ip: clientIp(request, context) }, parsed.data, new URL(request.url).origin);
  if (!result.ok && "notFound" in result) throw notFound();
  if (!result.ok) return data<ActionResult>({ errors: result.errors, reason }, { status: 409 });
  const t = await i18nServer.getFixedT(request, "onboarding");
  const notice = result.status === "approved" ? t("review.approvedNotice") : t("review.rejectedNotice");
  return redirect(`/admin/applications/${params.id}`, { headers: { "Set-Cookie": await flashNotice(request, notice) } });
}

export default function ApplicationReview() {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  const { application: a } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const facts: [string, React.ReactNode][] = [
    [t("field.type"), t(`type.${a.type}`)],
    [t("field.creditCode"), <code key="code">{a.creditCode}</code>],
    [t("field.regionCode"), `${a.regionCode} · ${provinceName(a.regionCode, locale)}`],
    [t("field.address"), a.address],
    [t("field.contact"), `${a.contactName} · ${a.contactPhone} · ${a.contactEmail}`],
    [t("review.applicant"), `${a.applicantName} · ${a.applicantEmail}`],
    [t("review.submittedAt"), formatDateTime(a.createdAt, locale)],
    [
      t("field.letter"),
      <a key="letter" href={`/apply/letter/${a.id}`}>
        {t("review.downloadLetter")} ({a.letterFileName})
      </a>,
    ],
  ];
  return (
    <section className="section onboarding">
      <p>
        <Link to="/admin/applications">← {t("review.back")}</Link>
      </p>
      <h1>
        {a.nameZh} <ApplicationStatusChip status={a.status} />
      </h1>
      <p lang="en">{a.nameEn}</p>
      <dl className="facts facts-inline">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {a.existingOrganization && a.status === "submitted" ? (
        <p className="notice notice-warning" role="note">
          {t("review.existingOrganization", {
            name: locale === "en" ? a.existingOrganization.nameEn : a.existingOrganization.nameZh,
          })}
        </p>
      ) : null}

      <h2>{t("review.history")}</h2>
      <ApplicationEvents events={a.events} />

      {a.status === "submitted" ? (
        <Form method="post" className="form-card wide decision-form" noValidate>
          <h2>{t("review.decide")}</h2>
          <CsrfInput />
          <FormError error={errors._form} />
          <div className={`field${errors.reason ? " field-invalid" : ""}`}>
            <label htmlFor="field-reason">{t("review.reason")}</label>
            <textarea
              id="field-reason"
              name="reason"
              rows={4}
              maxLength={1000}
              defaultValue={result?.reason}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "field-reason-hint field-reason-error" : "field-reason-hint"}
            />
            <p className="field-hint" id="field-reason-hint">
              {t("review.reasonHint")}
            </p>
            {errors.reason ? (
              <p className="field-error" id="field-reason-error" role="alert">
                {t(errors.reason)}
              </p>
            ) : null}
          </div>
          <div className="button-row">
            <SubmitButton name="decision" value="approve">
              {t("review.approve")}
            </SubmitButton>
            <SubmitButton name="decision" value="reject" className="button button-danger">
              {t("review.reject")}
            </SubmitButton>
          </div>
        </Form>
      ) : (
        <FormError error={errors._form} />
      )}
    </section>
  );
}
