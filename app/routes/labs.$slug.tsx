import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { labPage } from "~/catalogue/instruments.server";
import { AccreditationBadges, AccreditationList } from "~/components/accreditations";
import { InstrumentTable } from "~/components/instrument-table";
import { RatingsSection } from "~/components/ratings";
import { VerifiedBadge } from "~/components/verified-badge";
import { formatNumber, localName } from "~/lib/format";
import { shownAccreditations } from "~/trust/accreditations.server";
import { labCreditRecord } from "~/trust/credit.server";
import { labRatings } from "~/trust/reviews.server";
import { useLocale } from "~/root";
import { metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue", "trust", "reviews", "accreditation", "verification", "fees", "complaints"] };
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = metaLocale(matches);
  return [{ title: data ? `${localName(data.lab, locale)} · ${localName(data.organization, locale)} — OpenLab` : "OpenLab" }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const page = await labPage(params.slug ?? "");
  if (!page) throw notFound();
  const now = new Date();
  const [record, ratings, accreditations] = await Promise.all([labCreditRecord(page.lab.id, now), labRatings(page.lab.id), shownAccreditations(page.lab.id, null, now)]);
  return { ...page, record, ratings, accreditations };
}

export default function Lab() {
  const { lab, organization, instruments, record, ratings, accreditations } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const locale = useLocale();
  return (
    <>
      <nav className="breadcrumbs" aria-label={t("detail.breadcrumbs")}>
        <Link to="/institutions">{t("common:nav.institutions")}</Link> /{" "}
        <Link to={`/institutions/${organization.slug}`}>{localName(organization, locale)}</Link> <VerifiedBadge verifiedAt={organization.verifiedAt} />
      </nav>
      <h1>
        {localName(lab, locale)} <AccreditationBadges kinds={accreditations.map((a) => a.kind)} />
      </h1>
      <dl className="facts facts-inline">
        <div>
          <dt>{t("lab.address")}</dt>
          <dd>{lab.address ?? organization.address ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("detail.contact")}</dt>
          <dd>{[lab.contactName, lab.contactPhone, lab.contactEmail].filter(Boolean).join(" · ") || "—"}</dd>
        </div>
        <div>
          <dt>{t("lab.timeZone")}</dt>
          <dd>{lab.timeZone}</dd>
        </div>
      </dl>
      <AccreditationList items={accreditations} locale={locale} />
      <section className="panel provider-record" aria-labelledby="provider-record">
        <h2 id="provider-record">{t("trust:provider.title")}</h2>
        {record.answered === 0 ? (
          <p className="muted">{t("trust:provider.none")}</p>
        ) : (
          <p>
            {t("trust:provider.figures", {
              answered: record.answered,
              rejection: formatNumber((record.rejectionRate ?? 0) * 100, locale, 0),
              hours: formatNumber(record.medianResponseHours ?? 0, locale, 1),
            })}
          </p>
        )}
        {record.upheldComplaints > 0 ? <p>{t("trust:provider.upheld", { count: record.upheldComplaints })}</p> : null}
        <p>
          <Link to={`/complaints/new?lab=${lab.id}`}>{t("complaints:link.lab")}</Link>
        </p>
      </section>
      <RatingsSection ratings={ratings} showInstrument />
      <p>
        <Link to={`/labs/${lab.slug}/fees`}>{t("fees:schedule.labLink")}</Link>
      </p>
      <h2>{t("institutions.instruments")}</h2>
      <InstrumentTable instruments={instruments} />
    </>
  );
}
