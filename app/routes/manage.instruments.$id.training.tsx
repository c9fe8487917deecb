import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireInstrumentStaff } from "~/accounts/authz.server";
import { qualificationFormSchema, recordQualification, revokeQualification, trainingPage } from "~/booking/qualifications.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDate, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "manage", "training"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = await requireInstrumentStaff(request, params.id);
  const [page, t] = await Promise.all([trainingPage(id, new Date()), i18nServer.getFixedT(request, "training")]);
  if (!page) throw notFound();
  return { ...page, title: `${page.instrument.nameZh} · ${t("manage.title")} · OpenLab` };
}

const intentSchema = z.enum(["record", "revoke"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const { id, viewer } = await requireInstrumentStaff(request, params.id);
  const form = await formOf(request);
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success) return data({ errors: { _form: "validation.invalid" } as Record<string, string> }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "training");
  const done = async (notice: string) =>
    redirect(`/manage/instruments/${id}/training`, { headers: { "Set-Cookie": await flashNotice(request, t(notice)) } });
  if (intent.data === "revoke") {
    if (!(await revokeQualification(id, String(form.get("qualificationId") ?? ""), viewer.id, new Date()))) throw notFound();
    return done("manage.revoked");
  }
  const parsed = parseForm(qualificationFormSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const result = await recordQualification(id, parsed.data, viewer.id, new Date());
  if (!result.ok) return data({ errors: { email: "training:validation.unknownUser" } as Record<string, string> }, { status: 400 });
  return done("manage.recorded");
}

export default function InstrumentTraining() {
  const { instrument, lab, records } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("training");
  const locale = useLocale();
  const name = localName(instrument, locale);
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const day = (iso: string) => formatDate(iso, locale, lab.timeZone);
  return (
    <section className="section manage training-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> /{" "}
        <Link to={`/manage/instruments/${instrument.id}`}>{name}</Link> / {t("manage.title")}
      </nav>
      <h1>{t("manage.heading", { name })}</h1>
      <p className="lead-muted">{t("manage.lead")}</p>
      <FormError error={errors._form} />

      <Form method="post" className="panel">
        <CsrfInput />
        <h2>{t("manage.add")}</h2>
        <Field label={t("manage.email")} name="email" type="email" required autoComplete="off" hint={t("manage.emailHint")} error={errors.email} />
        <div className="field-row">
          <Field label={t("manage.trainedOn")} name="trainedOn" type="date" required error={errors.trainedOn} />
          <Field label={t("manage.expiresOn")} name="expiresOn" type="date" required error={errors.expiresOn} />
        </div>
        <Field label={t("manage.trainer")} name="trainer" maxLength={120} error={errors.trainer} />
        <Field label={t("manage.note")} name="note" maxLength={500} error={errors.note} />
        <SubmitButton name="intent" value="record">
          {t("manage.submit")}
        </SubmitButton>
      </Form>

      <h2>{t("manage.list")}</h2>
      {records.length === 0 ? (
        <p className="empty">{t("manage.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table">
            <caption className="visually-hidden">{t("manage.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("manage.user")}</th>
                <th scope="col">{t("manage.trainedOn")}</th>
                <th scope="col">{t("manage.expiresOn")}</th>
                <th scope="col">{t("manage.trainer")}</th>
                <th scope="col">{t("manage.note")}</th>
                <th scope="col">{t("manage.state")}</th>
                <th scope="col">{t("manage.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.userName}
                    <div className="muted">{r.userEmail}</div>
                  </td>
                  <td>{day(r.trainedOn)}</td>
                  <td>{day(r.expiresOn)}</td>
                  <td>{r.trainer || "—"}</td>
                  <td>{r.note || "—"}</td>
                  <td>
                    <span className="chip">{t(`manage.state${r.state[0]!.toUpperCase()}${r.state.slice(1)}`)}</span>
                  </td>
                  <td>
                    {r.state === "revoked" ? null : (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="qualificationId" value={r.id} />
                        <button type="submit" name="intent" value="revoke" className="button button-secondary button-compact" aria-label={t("manage.revokeRow", { user: r.userName })}>
                          {t("manage.revoke")}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
