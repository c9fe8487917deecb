import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone } from "~/accounts/authz.server";
import { homePage } from "~/catalogue/home.server";
import { formatNumber, localName } from "~/lib/format";
import { useLocale } from "~/root";
import { inReadersLanguage } from "~/lib/meta";

export const meta: MetaFunction = ({ matches }) => [
  { title: inReadersLanguage(matches, "OpenLab 开放实验室 — 大型科研仪器共享平台", "OpenLab — shared research instruments") },
  {
    name: "description",
    content: inReadersLanguage(
      matches,
      "查找并预约高校、科研院所的大型科研仪器：电镜、核磁、质谱、X射线衍射……",
      "Find and book large research instruments at Chinese universities and institutes: electron microscopes, NMR, mass spectrometers, X-ray diffraction…",
    ),
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  return homePage();
}

export default function Home() {
  const { featured, providers, figures } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <>
      <section className="hero">
        <div className="hero-text">
          <h1>{t("home.title")}</h1>
          <p className="lead">{t("home.lead")}</p>
          <form method="get" action="/instruments" className="hero-search" role="search">
            <label htmlFor="hero-q" className="visually-hidden">
              {t("nav.searchLabel")}
            </label>
            <input id="hero-q" type="search" name="q" placeholder={t("home.searchPlaceholder")} />
            <button type="submit" className="button">
              {t("nav.search")}
            </button>
          </form>
          <p className="hero-tags">
            {["电镜", "核磁共振", "XRD", "ICP-MS", "显微CT"].map((q) => (
              <Link key={q} to={`/instruments?q=${encodeURIComponent(q)}`} className="tag">
                {q}
              </Link>
            ))}
          </p>
        </div>
        <dl className="figures" aria-label={t("home.figuresLabel")}>
          <div>
            <dt>{t("home.figures.instruments")}</dt>
            <dd>{formatNumber(figures?.instruments ?? 0, locale)}</dd>
          </div>
          <div>
            <dt>{t("home.figures.institutions")}</dt>
            <dd>{formatNumber(figures?.institutions ?? 0, locale)}</dd>
          </div>
          <div>
            <dt>{t("home.figures.labs")}</dt>
            <dd>{formatNumber(figures?.labs ?? 0, locale)}</dd>
          </div>
          <div>
            <dt>{t("home.figures.value")}</dt>
            <dd>
              {formatNumber((figures?.originalValueFen ?? 0) / 1_000_000, locale, 0)}
              <small> {t("home.figures.valueUnit")}</small>
            </dd>
          </div>
        </dl>
      </section>

      <section className="section">
        <div className="section-head">
          <h2>{t("home.featured")}</h2>
          <Link to="/instruments">{t("home.allInstruments")} →</Link>
        </div>
        {featured.length === 0 ? (
          <p className="empty">{t("home.noInstruments")}</p>
        ) : (
          <ul className="card-grid">
            {featured.map((i) => (
              <li key={i.slug} className="card">
                <Link to={`/instruments/${i.slug}`} className="card-link">
                  <span className="card-category">{localName({ nameZh: i.categoryNameZh, nameEn: i.categoryNameEn }, locale)}</span>
                  <h3>{localName(i, locale)}</h3>
                  <p className="card-model">
                    {i.model} · {i.manufacturer}
                  </p>
                  <p className="card-org">{localName({ nameZh: i.organizationNameZh, nameEn: i.organizationNameEn }, locale)}</p>
                  <p className="card-modes">
                    {i.serviceModes.map((m) => (
                      <span key={m} className="chip">
                        {t(`serviceMode.${m}`)}
                      </span>
                    ))}
                  </p>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section">
        <div className="section-head">
          <h2>{t("home.providers")}</h2>
          <Link to="/institutions">{t("home.allInstitutions")} →</Link>
        </div>
        <ul className="provider-list">
          {providers.map((p) => (
            <li key={p.slug}>
              <Link to={`/institutions/${p.slug}`}>
                <strong>{localName(p, locale)}</strong>
                <span>
                  {t(`organizationType.${p.type}`)} · {t("home.instrumentCount", { count: p.instrumentCount })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="section how">
        <h2>{t("home.howTitle")}</h2>
        <ol className="steps">
          <li>
            <strong>{t("home.how.find")}</strong>
            <span>{t("home.how.findText")}</span>
          </li>
          <li>
            <strong>{t("home.how.book")}</strong>
            <span>{t("home.how.bookText")}</span>
          </li>
          <li>
            <strong>{t("home.how.pay")}</strong>
            <span>{t("home.how.payText")}</span>
          </li>
        </ol>
      </section>
    </>
  );
}
