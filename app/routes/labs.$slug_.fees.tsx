import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { labFees } from "~/billing/rates.server";
import { labPage } from "~/catalogue/instruments.server";
import { FeeScheduleTable, PolicyText } from "~/components/fees";
import { localName } from "~/lib/format";
import { useLocale } from "~/root";
import { inReadersLanguage, metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue", "fees"] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? `${localName(data.lab, metaLocale(matches))} · ${inReadersLanguage(matches, "收费标准", "Fees")} — OpenLab` : "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const page = await labPage(params.slug ?? "");
  if (!page) throw notFound();
  const { lab, organization } = page;
  return {
    lab: { slug: lab.slug, nameZh: lab.nameZh, nameEn: lab.nameEn },
    organization: { slug: organization.slug, nameZh: organization.nameZh, nameEn: organization.nameEn },
    instruments: await labFees(lab.id),
  };
}

export default function LabFees() {
  const { lab, organization, instruments } = useLoaderData<typeof loader>();
  const { t } = useTranslation("fees");
  const locale = useLocale();
  const name = localName(lab, locale);
  return (
    <section className="section fee-schedule">
      <nav className="breadcrumbs" aria-label={t("catalogue:detail.breadcrumbs")}>
        <Link to={`/institutions/${organization.slug}`}>{localName(organization, locale)}</Link> / <Link to={`/labs/${lab.slug}`}>{name}</Link> /{" "}
        {t("schedule.title")}
      </nav>
      <h1>{t("schedule.labHeading", { name })}</h1>
      <p className="lead-muted">{t("schedule.lead")}</p>
      {instruments.length === 0 ? <p className="empty">{t("schedule.labEmpty")}</p> : null}
      {instruments.map((i) => {
        const instrumentName = localName(i, locale);
        return (
          <section className="panel" key={i.slug} aria-labelledby={`fees-${i.slug}`}>
            <h2 id={`fees-${i.slug}`}>
              <Link to={`/instruments/${i.slug}/fees`}>{instrumentName}</Link>
            </h2>
            {i.model ? <p className="muted">{i.model}</p> : null}
            {i.schedule.rates.length === 0 ? (
              <p className="empty">{t("schedule.empty")}</p>
            ) : (
              <>
                <FeeScheduleTable rates={i.schedule.rates} locale={locale} caption={t("schedule.heading", { name: instrumentName })} />
                <PolicyText policy={i.schedule.policy} />
              </>
            )}
          </section>
        );
      })}
    </section>
  );
}
