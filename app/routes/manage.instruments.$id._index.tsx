import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { actionsFor } from "~/catalogue/instrument-status";
import { changeStatus, updateInstrument } from "~/catalogue/manage-writes.server";
import { categoryGroups, formValues, instrumentForEdit, instrumentLabId, todayIn } from "~/catalogue/manage.server";
import { CsrfInput, FormError } from "~/components/forms";
import { InstrumentForm, recordValues } from "~/components/instrument-form";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage", "booking", "training", "accreditation", "fees"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The instrument's lab decides who may see this page: its staff and its institution's admins. */
async function authorize(request: Request, id: string | undefined) {
  const labId = await instrumentLabId(id);
  if (!labId) throw notFound();
  const viewer = await requireLabStaff(request, labId);
  return { id: id!, labId, viewer };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = await authorize(request, params.id);
  const [page, categories, t] = await Promise.all([instrumentForEdit(id), categoryGroups(), i18nServer.getFixedT(request, "manage")]);
  if (!page) throw notFound();
  return {
    title: `${page.instrument.nameZh} · ${t("edit.title")} · OpenLab`,
    ...page,
    categories,
    today: todayIn(page.lab.timeZone),
    actions: actionsFor(page.instrument.status, "lab"),
  };
}

const intentSchema = z.object({
  intent: z.enum(["save", "publish", "unpublish", "retire"]),
  returnTo: z.enum(["lab"]).optional(),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { id, labId, viewer } = await authorize(request, params.id);
  const form = await formOf(request);
  const parsed = intentSchema.safeParse({ intent: form.get("intent"), returnTo: form.get("returnTo") ?? undefined });
  if (!parsed.success) return data({ errors: { _form: "validation.invalid" } as Record<string, string>, values: formValues(form) }, { status: 400 });
  const { intent, returnTo } = parsed.data;
  const actor = { userId: viewer.id, ip: clientIp(request, context) };
  const result = intent === "save" ? await updateInstrument(id, form, actor) : await changeStatus(id, intent, "lab", actor);
  if (!result.ok) return data({ errors: result.errors, values: intent === "save" ? formValues(form) : undefined }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "manage");
  const target = returnTo === "lab" ? `/manage/labs/${labId}` : `/manage/instruments/${id}`;
  return redirect(target, { headers: { "Set-Cookie": await flashNotice(request, t(`notice.${intent}`)) } });
}

export default function EditInstrument() {
  const { instrument, lab, categories, today, actions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("manage");
  const locale = useLocale();
  const saveErrors = result?.values ? result.errors : undefined;
  const statusError = result && !result.values ? result.errors._form : undefined;
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("breadcrumbs")}>
        <Link to="/manage">{t("dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> / {localName(instrument, locale)}
      </nav>
      <div className="section-head">
        <div>
          <h1>{localName(instrument, locale)}</h1>
          <p className="lead-muted">
            <span className={`listing-status listing-${instrument.status}`}>{t(`catalogue:status.${instrument.status}`)}</span>{" "}
            {instrument.model}
          </p>
        </div>
        <p className="page-links">
          <Link to={`/manage/instruments/${instrument.id}/photos`}>{t("edit.photos", { count: instrument.photos.length })}</Link>
          <Link to={`/manage/instruments/${instrument.id}/hours`}>{t("booking:hours.link")}</Link>
          <Link to={`/manage/instruments/${instrument.id}/training`}>{t("training:manage.title")}</Link>
          <Link to={`/manage/instruments/${instrument.id}/accreditations`}>{t("accreditation:manage.link")}</Link>
          <Link to={`/manage/instruments/${instrument.id}/rates`}>{t("fees:editor.link")}</Link>
          <Link to={`/instruments/${instrument.slug}`}>{instrument.status === "published" ? t("edit.viewPublic") : t("edit.preview")}</Link>
        </p>
      </div>
      {instrument.status === "suspended" ? (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t("status.suspendedTitle")}</strong>
          </p>
          <p>{t("status.reasonShort", { reason: instrument.suspensionReason ?? "" })}</p>
          <p>{t("status.suspendedHelp")}</p>
        </div>
      ) : null}
      <section className="panel status-panel" aria-labelledby="status-heading">
        <h2 id="status-heading">{t("status.heading")}</h2>
        <p className="muted">{t(`status.explain.${instrument.status}`)}</p>
        <FormError error={statusError} />
        {actions.length > 0 ? (
          <Form method="post" className="status-actions">
            <CsrfInput />
            {actions.map((a) => (
              <button
                key={a}
                type="submit"
                name="intent"
                value={a}
                className={`button ${a === "publish" ? "" : "button-secondary"}`}
                onClick={(e) => {
                  // Retiring cannot be undone by the lab: ask once.
                  if (a === "retire" && !window.confirm(t("status.confirmRetire"))) e.preventDefault();
                }}
              >
                {t(`status.action.${a}`)}
              </button>
            ))}
          </Form>
        ) : null}
      </section>
      <h2>{t("edit.record")}</h2>
      <InstrumentForm
        key={String(instrument.updatedAt)}
        values={result?.values ?? recordValues(instrument)}
        errors={saveErrors}
        categories={categories}
        locale={locale}
        today={today}
        submitLabel={t("edit.submit")}
      />
    </section>
  );
}
