import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { verificationDecisionSchema, verificationSettingsSchema } from "~/trust/verification";
import { decideVerification, saveVerificationSettings, verificationQueue } from "~/trust/verifications.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding", "verification"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const [queue, t] = await Promise.all([verificationQueue(), i18nServer.getFixedT(request, "verification")]);
  return { ...queue, title: `${t("admin.title")} · OpenLab` };
}

type ActionResult = { requestId?: string; errors: FieldErrors; reason?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request);
  const actor = { userId: admin.id, ip: clientIp(request, context) };
  const form = await formOf(request);
  const t = await i18nServer.getFixedT(request, "verification");
  if (form.get("intent") === "settings") {
    const parsed = parseForm(verificationSettingsSchema, new URLSearchParams({ requireBeforeFirstBooking: String(form.get("requireBeforeFirstBooking") ?? "") }));
    if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors }, { status: 400 });
    await saveVerificationSettings(parsed.data, actor);
    return redirect("/admin/verifications", { headers: { "Set-Cookie": await flashNotice(request, t("admin.settingsSaved")) } });
  }
  const requestId = String(form.get("requestId") ?? "").slice(0, 40);
  const reason = String(form.get("reason") ?? "").slice(0, 600);
  const parsed = parseForm(verificationDecisionSchema, new URLSearchParams({ decision: String(form.get("decision") ?? ""), reason }));
  if (!parsed.ok) return data<ActionResult>({ requestId, errors: parsed.errors, reason }, { status: 400 });
  const result = await decideVerification(requestId, parsed.data, actor);
  if (!result.ok) return data<ActionResult>({ requestId, errors: result.errors, reason }, { status: 409 });
  return redirect("/admin/verifications", { headers: { "Set-Cookie": await flashNotice(request, t(parsed.data.decision === "verify" ? "admin.verifiedNotice" : "admin.rejectedNotice")) } });
}

/** Waiting verification requests with their licence scans, the latest decisions, and the booking rule. */
export default function AdminVerifications() {
  const { waiting, decided, settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("verification");
  const locale = useLocale();
  const errorsFor = (id: string): FieldErrors => (result?.requestId === id ? result.errors : {});
  return (
    <section className="section verification-admin">
      <h1>{t("admin.title")}</h1>
      <p className="lead-muted">{t("admin.lead")}</p>

      <Form method="post" className="panel">
        <CsrfInput />
        <h2>{t("admin.settings")}</h2>
        <label className="checkbox">
          <input type="checkbox" name="requireBeforeFirstBooking" defaultChecked={settings.requireBeforeFirstBooking} /> {t("admin.requireBeforeFirstBooking")}
        </label>
        <p className="field-hint">{t("admin.requireHint")}</p>
        <SubmitButton name="intent" value="settings">
          {t("admin.saveSettings")}
        </SubmitButton>
      </Form>

      <h2>{t("admin.waiting", { count: waiting.length })}</h2>
      {waiting.length === 0 ? <p className="empty">{t("admin.none")}</p> : null}
      <ul className="application-list">
        {waiting.map((r) => {
          const errors = errorsFor(r.id);
          return (
            <li key={r.id} className="panel">
              <h3>
                {localName(r, locale)} <span className="chip">{t(`common:organizationType.${r.type}`)}</span>
              </h3>
              <dl className="facts facts-inline">
                <div>
                  <dt>{t("onboarding:field.creditCode")}</dt>
                  <dd>
                    <code>{r.creditCode}</code>
                  </dd>
                </div>
                <div>
                  <dt>{t("admin.submitter")}</dt>
                  <dd>
                    {r.submitterName} · {r.submitterEmail}
                  </dd>
                </div>
                <div>
                  <dt>{t("admin.submittedAt")}</dt>
                  <dd>{formatDateTime(r.submittedAt, locale)}</dd>
                </div>
                <div>
                  <dt>{t("org.licence")}</dt>
                  <dd>
                    <a href={`/admin/verifications/${r.id}/licence`}>{t("admin.openLicence")}</a>
                  </dd>
                </div>
              </dl>
              <Form method="post" className="decision-form">
                <CsrfInput />
                <input type="hidden" name="requestId" value={r.id} />
                <FormError error={errors._form} />
                <Field label={t("admin.reason")} name="reason" maxLength={500} defaultValue={result?.requestId === r.id ? result.reason : ""} hint={t("admin.reasonHint")} error={errors.reason} />
                <div className="button-row">
                  <SubmitButton name="decision" value="verify">
                    {t("admin.verify")}
                  </SubmitButton>
                  <button type="submit" name="decision" value="reject" className="button button-secondary">
                    {t("admin.reject")}
                  </button>
                </div>
              </Form>
            </li>
          );
        })}
      </ul>

      {decided.length > 0 ? (
        <>
          <h2>{t("admin.decided")}</h2>
          <div className="table-wrap">
            <table className="manage-table">
              <caption className="visually-hidden">{t("admin.decided")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.organization")}</th>
                  <th scope="col">{t("onboarding:field.creditCode")}</th>
                  <th scope="col">{t("admin.decision")}</th>
                  <th scope="col">{t("admin.decidedAt")}</th>
                  <th scope="col">{t("admin.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {decided.map((r) => (
                  <tr key={r.id}>
                    <td>{localName(r, locale)}</td>
                    <td>
                      <code>{r.creditCode}</code>
                    </td>
                    <td>{t(`status.${r.status}`)}</td>
                    <td>{r.decidedAt ? formatDateTime(r.decidedAt, locale) : "—"}</td>
                    <td>{r.reason || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
