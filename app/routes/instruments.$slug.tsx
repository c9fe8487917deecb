import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { bookingRefusal } from "~/accounts/permissions";
import { AccreditationBadges, AccreditationList } from "~/components/accreditations";
import { BookingRefusalNotice } from "~/components/booking-refusal";
import { qualificationStanding } from "~/booking/qualifications.server";
import { rebookParamSchema, rebookSource } from "~/booking/reservations.server";
import { rebookMinutes } from "~/booking/week-cells";
import { instrumentWeek, parseDateParam } from "~/booking/week.server";
import { instrumentPage } from "~/catalogue/instruments.server";
import { provinceName } from "~/catalogue/regions";
import { useNonce } from "~/components/nonce";
import { QualificationStanding } from "~/components/qualification-standing";
import { RatingsSection } from "~/components/ratings";
import { VerifiedBadge } from "~/components/verified-badge";
import { WeekCalendar } from "~/components/week-calendar";
import { formatDate, formatMoney, localName } from "~/lib/format";
import { shownAccreditations } from "~/trust/accreditations.server";
import { useLocale } from "~/root";
import { instrumentRatings } from "~/trust/reviews.server";
import { inReadersLanguage, metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue", "reserve", "training", "samples", "calendars", "reviews", "accreditation", "verification", "fees"] };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await allowAnyone(request);
  const page = await instrumentPage(params.slug ?? "", viewer);
  if (!page) throw notFound();
  const now = new Date();
  const search = new URL(request.url).searchParams;
  const [week, standing, ratings, accreditations, rebook] = await Promise.all([
    instrumentWeek(page.instrument.id, parseDateParam(search.get("week")), now),
    viewer ? qualificationStanding(viewer.id, page.instrument.id, now) : null,
    instrumentRatings(page.instrument.id),
    shownAccreditations(page.lab.id, page.instrument.id, now),
    // 再次预约: only the viewer's own booking on this instrument is copied; any other id is ignored.
    viewer ? rebookSource(viewer.id, rebookParamSchema.parse(search.get("rebook")), page.instrument.id) : null,
  ]);
  // While rebooking, the calendar's links book the earlier length within this instrument's limits.
  const repeated = rebook && { id: rebook.id, reference: rebook.reference, minutes: week ? rebookMinutes(rebook.minutes, week) : rebook.minutes };
  const refusal = viewer ? bookingRefusal(viewer) : null;
  return { ...page, week, standing, ratings, accreditations, rebook: repeated, refusal, url: request.url };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: "OpenLab" }];
  const { instrument, organization } = data;
  const locale = metaLocale(matches);
  const title = `${localName(instrument, locale)} ${instrument.model} — ${localName(organization, locale)} | OpenLab`;
  // Both names, the reader's first, in the reader's punctuation; the functions as the lab wrote them.
  const functions = instrument.mainFunctions.slice(0, 120);
  const description = inReadersLanguage(
    matches,
    `${instrument.nameZh}（${instrument.nameEn}），${instrument.manufacturer} ${instrument.model}，${organization.nameZh}。${functions}`,
    `${instrument.nameEn} (${instrument.nameZh}), ${instrument.manufacturer} ${instrument.model}, ${organization.nameEn}. ${functions}`,
  );
  return [
    { title },
    { name: "description", content: description },
    { property: "og:type", content: "product" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:url", content: data.url },
    ...(instrument.photos[0] ? [{ property: "og:image", content: new URL(instrument.photos[0], data.url).toString() }] : []),
    ...(data.isPublic ? [] : [{ name: "robots", content: "noindex" }]),
  ];
};

export default function InstrumentDetail() {
  const data = useLoaderData<typeof loader>();
  const { instrument, lab, organization, category, parentCategory } = data;
  const { t } = useTranslation("catalogue");
  const locale = useLocale();
  const nonce = useNonce();
  const jsonLd = {
    "@context": "https://schema.org",
    "@type": "Product",
    name: instrument.nameZh,
    alternateName: instrument.nameEn,
    model: instrument.model,
    brand: { "@type": "Brand", name: instrument.manufacturer },
    category: category.nameZh,
    description: instrument.mainFunctions,
    url: data.url,
    image: instrument.photos.map((p) => new URL(p, data.url).toString()),
    provider: { "@type": "Organization", name: organization.nameZh, alternateName: organization.nameEn },
  };
  const facts: [string, React.ReactNode][] = [
    [t("field.model"), instrument.model],
    [t("field.manufacturer"), instrument.manufacturer],
    [t("field.countryOfOrigin"), instrument.countryOfOrigin],
    [
      t("field.category"),
      `${parentCategory.code ? `${localName({ nameZh: parentCategory.nameZh ?? "", nameEn: parentCategory.nameEn ?? "" }, locale)} / ` : ""}${localName(category, locale)} (${category.code})`,
    ],
    [t("field.originalValue"), formatMoney(instrument.originalValueFen, locale)],
    [t("field.purchaseDate"), instrument.purchaseDate ? formatDate(instrument.purchaseDate, locale) : "—"],
    [t("field.commissioningDate"), instrument.commissioningDate ? formatDate(instrument.commissioningDate, locale) : "—"],
    [t("field.operatingStatus"), t(`operatingStatus.${instrument.operatingStatus}`)],
    [t("field.shareMode"), t(`shareMode.${instrument.shareMode}`)],
  ];
  return (
    <article className="instrument">
      <script type="application/ld+json" nonce={nonce} dangerouslySetInnerHTML={{ __html: JSON.stringify(jsonLd).replace(/</g, "\\u003c") }} />
      <nav className="breadcrumbs" aria-label={t("detail.breadcrumbs")}>
        <Link to="/instruments">{t("common:nav.instruments")}</Link> /{" "}
        <Link to={`/instruments?category=${category.code}`}>{localName(category, locale)}</Link>
      </nav>
      {!data.isPublic ? (
        <p className="notice notice-warning" role="status">
          {t("detail.notPublic", { status: t(`status.${instrument.status}`) })}
        </p>
      ) : null}
      <header className="instrument-head">
        <div>
          <h1>{localName(instrument, locale)}</h1>
          <p className="instrument-sub">
            {locale === "en" ? instrument.nameZh : instrument.nameEn} · {instrument.model} · {instrument.manufacturer}
          </p>
          <p className="card-modes">
            {instrument.serviceModes.map((m) => (
              <span key={m} className="chip">
                {t(`common:serviceMode.${m}`)}
              </span>
            ))}
            <AccreditationBadges kinds={data.accreditations.map((a) => a.kind)} />
            <span className={`status status-${instrument.operatingStatus}`}>{t(`operatingStatus.${instrument.operatingStatus}`)}</span>
          </p>
        </div>
        <aside className="instrument-provider">
          <p>
            <Link to={`/institutions/${organization.slug}`}>
              <strong>{localName(organization, locale)}</strong>
            </Link>{" "}
            <VerifiedBadge verifiedAt={organization.verifiedAt} />
          </p>
          <p>
            <Link to={`/labs/${lab.slug}`}>{localName(lab, locale)}</Link>
          </p>
          <p className="muted">
            {provinceName(organization.regionCode, locale)} · {lab.address ?? organization.address}
          </p>
        </aside>
      </header>

      {instrument.photos.length > 0 ? (
        <ul className="photos">
          {instrument.photos.map((p, i) => (
            <li key={p}>
              <img src={p} alt={t("detail.photoAlt", { n: i + 1, name: localName(instrument, locale) })} />
            </li>
          ))}
        </ul>
      ) : null}

      <div className="instrument-body">
        <div className="instrument-main">
          <Section title={t("field.mainFunctions")} text={instrument.mainFunctions} />
          <Section title={t("field.specifications")} text={instrument.specifications} />
          <Section title={t("field.serviceContent")} text={instrument.serviceContent} />
          <Section title={t("field.sampleRequirements")} text={instrument.sampleRequirements} />
          <section className="panel" id="booking">
            <h2>{t("detail.booking")}</h2>
            {data.refusal ? <BookingRefusalNotice refusal={data.refusal} /> : null}
            {data.standing && (data.standing.qualification.state !== "none" || instrument.serviceModes.includes("self_operated")) ? (
              <QualificationStanding standing={data.standing} />
            ) : null}
            {data.rebook ? (
              <p className="notice rebook-notice">
                {t("reserve:rebook.notice", { reference: data.rebook.reference, minutes: data.rebook.minutes })}
              </p>
            ) : null}
            {data.week ? <WeekCalendar week={data.week} slug={instrument.slug} rebook={data.rebook} /> : <p className="muted">{t("detail.bookingHint")}</p>}
            {data.isPublic && instrument.serviceModes.includes("sample_submission") ? (
              <p>
                <Link className="button button-secondary" to={`/instruments/${instrument.slug}/samples`}>
                  {t("samples:request.link")}
                </Link>
              </p>
            ) : null}
            {data.isPublic ? (
              <p className="muted">
                <a href={`/instruments/${instrument.slug}/busy.ics`}>{t("detail.subscribe")}</a>
              </p>
            ) : null}
          </section>
          <RatingsSection ratings={data.ratings} />
        </div>
        <aside className="instrument-side">
          <section className="panel">
            <h2>{t("detail.facts")}</h2>
            <dl className="facts">
              {facts.map(([k, v]) => (
                <div key={k}>
                  <dt>{k}</dt>
                  <dd>{v || "—"}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section className="panel">
            <h2>{t("field.feeText")}</h2>
            <p className="pre">{instrument.feeText || t("detail.feeOnRequest")}</p>
            <p>
              <Link to={`/instruments/${instrument.slug}/fees`}>{t("fees:schedule.link")}</Link>
            </p>
          </section>
          <AccreditationList items={data.accreditations} locale={locale} />
          <section className="panel">
            <h2>{t("detail.contact")}</h2>
            <p>{lab.contactName}</p>
            {lab.contactPhone ? <p>{lab.contactPhone}</p> : null}
            {lab.contactEmail ? (
              <p>
                <a href={`mailto:${lab.contactEmail}`}>{lab.contactEmail}</a>
              </p>
            ) : null}
          </section>
        </aside>
      </div>
    </article>
  );
}

function Section({ title, text }: { title: string; text: string }) {
  if (!text) return null;
  return (
    <section className="panel">
      <h2>{title}</h2>
      <p className="pre">{text}</p>
    </section>
  );
}
