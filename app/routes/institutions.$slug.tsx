import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { institutionPage } from "~/catalogue/instruments.server";
import { provinceName } from "~/catalogue/regions";
import { InstrumentTable } from "~/components/instrument-table";
import { localName } from "~/lib/format";
import { VerifiedBadge } from "~/components/verified-badge";
import { useLocale } from "~/root";
import { metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue", "verification"] };
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? `${localName(data.organization, metaLocale(matches))} — OpenLab` : "OpenLab" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const page = await institutionPage(params.slug ?? "");
  if (!page) throw notFound();
  return page;
}

export default function Institution() {
  const { organization, labs, instruments } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const locale = useLocale();
  return (
    <>
      <nav className="breadcrumbs" aria-label={t("detail.breadcrumbs")}>
        <Link to="/institutions">{t("common:nav.institutions")}</Link>
      </nav>
      <h1>
        {localName(organization, locale)} <VerifiedBadge verifiedAt={organization.verifiedAt} />
      </h1>
      <p className="instrument-sub">
        {locale === "en" ? organization.nameZh : organization.nameEn} · {t(`common:organizationType.${organization.type}`)} ·{" "}
        {provinceName(organization.regionCode, locale)}
      </p>
      {organization.address ? <p className="muted">{organization.address}</p> : null}
      <h2>{t("institutions.labs")}</h2>
      <ul className="provider-list">
        {labs.map((l) => (
          <li key={l.id}>
            <Link to={`/labs/${l.slug}`}>
              <strong>{localName(l, locale)}</strong>
              <span>{t("institutions.instrumentCount", { count: instruments.filter((i) => i.labId === l.id).length })}</span>
              {l.contactName ? <span>{[l.contactName, l.contactPhone].filter(Boolean).join(" · ")}</span> : null}
            </Link>
          </li>
        ))}
      </ul>
      <h2>{t("institutions.instruments")}</h2>
      <InstrumentTable instruments={instruments} />
    </>
  );
}
