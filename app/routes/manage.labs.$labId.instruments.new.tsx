import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { createInstrument } from "~/catalogue/manage-writes.server";
import { categoryGroups, formValues, labForForm, todayIn } from "~/catalogue/manage.server";
import { InstrumentForm } from "~/components/instrument-form";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "catalogue", "manage"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireLabStaff(request, params.labId ?? "");
  const [lab, categories, t] = await Promise.all([labForForm(params.labId ?? ""), categoryGroups(), i18nServer.getFixedT(request, "manage")]);
  if (!lab) throw notFound();
  return { title: `${t("new.title")} · ${lab.nameZh} · OpenLab`, lab, categories, today: todayIn(lab.timeZone) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireLabStaff(request, params.labId ?? "");
  const form = await formOf(request);
  const result = await createInstrument(params.labId!, form, { userId: viewer.id, ip: clientIp(request, context) });
  if (!result.ok) return data({ errors: result.errors, values: formValues(form) }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "manage");
  return redirect(`/manage/instruments/${result.id}`, { headers: { "Set-Cookie": await flashNotice(request, t("new.created")) } });
}

export default function NewInstrument() {
  const { lab, categories, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("manage");
  const locale = useLocale();
  return (
    <section className="section manage">
      <nav className="breadcrumbs" aria-label={t("breadcrumbs")}>
        <Link to="/manage">{t("dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> / {t("new.title")}
      </nav>
      <h1>{t("new.title")}</h1>
      <p className="lead-muted">{t("new.lead")}</p>
      <InstrumentForm
        values={result?.values ?? { serviceModes: [] }}
        errors={result?.errors}
        categories={categories}
        locale={locale}
        today={today}
        submitLabel={t("new.submit")}
      />
    </section>
  );
}
