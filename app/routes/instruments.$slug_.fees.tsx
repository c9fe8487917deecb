import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { instrumentFees } from "~/billing/rates.server";
import { instrumentPage } from "~/catalogue/instruments.server";
import { FeeScheduleTable, PolicyText } from "~/components/fees";
import { localName } from "~/lib/format";
import { useLocale } from "~/root";
import { inReadersLanguage, metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue", "fees"] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? `${localName(data.instrument, metaLocale(matches))} · ${inReadersLanguage(matches, "收费标准", "Fees")} — OpenLab` : "OpenLab" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await allowAnyone(request);
  const page = await instrumentPage(params.slug ?? "", viewer);
  if (!page) throw notFound();
  const { instrument, lab, organization } = page;
  return {
    instrument: { slug: instrument.slug, nameZh: instrument.nameZh, nameEn: instrument.nameEn, model: instrument.model },
    lab: { slug: lab.slug, nameZh: lab.nameZh, nameEn: lab.nameEn },
    organization: { slug: organization.slug, nameZh: organization.nameZh, nameEn: organization.nameEn },
    schedule: await instrumentFees(instrument.id),
  };
}

export default function InstrumentFees() {
  const { instrument, lab, organization, schedule } = useLoaderData<typeof loader>();
  const { t } = useTranslation("fees");
  const locale = useLocale();
  const name = localName(instrument, locale);
  return (
    <section className="section fee-schedule">
      <nav className="breadcrumbs" aria-label={t("catalogue:detail.breadcrumbs")}>
        <Link to={`/institutions/${organization.slug}`}>{localName(organization, locale)}</Link> /{" "}
        <Link to={`/labs/${lab.slug}`}>{localName(lab, locale)}</Link> / <Link to={`/instruments/${instrument.slug}`}>{name}</Link> /{" "}
        {t("schedule.title")}
      </nav>
      <h1>{t("schedule.heading", { name })}</h1>
      <p className="lead-muted">{t("schedule.lead")}</p>
      {schedule.rates.length === 0 ? (
        <p className="empty">{t("schedule.empty")}</p>
      ) : (
        <>
          <FeeScheduleTable rates={schedule.rates} locale={locale} caption={t("schedule.heading", { name })} />
          <h2>{t("schedule.policy")}</h2>
          <PolicyText policy={schedule.policy} />
        </>
      )}
      <p>
        <Link to={`/labs/${lab.slug}/fees`}>{t("schedule.labLink")}</Link>
      </p>
    </section>
  );
}
