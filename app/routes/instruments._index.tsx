import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone } from "~/accounts/authz.server";
import { AccreditationBadges } from "~/components/accreditations";
import { Highlight } from "~/components/highlight";
import { InstrumentGlyph } from "~/components/instrument-glyph";
import { provinceName } from "~/catalogue/regions";
import { formatSpan } from "~/booking/time-format";
import { Field } from "~/components/forms";
import { readDirectoryQuery } from "~/catalogue/directory-query";
import { readFreeWindow } from "~/catalogue/free-window";
import { directoryUrl, PAGE_SIZE, sortOptions, toggle, type DirectoryQuery } from "~/catalogue/search";
import { searchDirectory } from "~/catalogue/search.server";
import { Pagination } from "~/components/pagination";
import { localName } from "~/lib/format";
import { useLocale } from "~/root";
import { inReadersLanguage } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue", "free-window", "accreditation"] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const catalogue = inReadersLanguage(matches, "仪器目录", "Instrument catalogue");
  return [{ title: data?.query.q ? `${data.query.q} — OpenLab ${catalogue}` : `${catalogue} — OpenLab` }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const query = readDirectoryQuery(new URL(request.url).searchParams);
  // A bad window is reported at its fields and left out of the search; the other filters still apply.
  const { window, errors } = readFreeWindow(query);
  const result = await searchDirectory(query, window, new Date());
  return { query, windowActive: window !== null, windowErrors: errors, ...result };
}

const facetKeys = ["category", "region", "orgType", "org", "mode", "accreditation"] as const;
type FacetKey = (typeof facetKeys)[number];
const facetOrder: FacetKey[] = ["category", "mode", "accreditation", "region", "orgType", "org"];

export default function Directory() {
  const { query, windowActive, windowErrors, items, total, facets, terms, suggestions } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const locale = useLocale();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/instruments";
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const facetLabel = (facet: FacetKey, v: { key: string; nameZh: string | null; nameEn: string | null }) => {
    if (facet === "region") return provinceName(v.key, locale);
    if (facet === "orgType") return t(`common:organizationType.${v.key}`);
    if (facet === "mode") return t(`common:serviceMode.${v.key}`);
    if (facet === "accreditation") return t(`accreditation:badge.${v.key}`);
    return localName({ nameZh: v.nameZh ?? v.key, nameEn: v.nameEn ?? v.key }, locale);
  };

  return (
    <div className="directory">
      <Form method="get" action="/instruments" role="search">
        <div className="directory-search">
          <label htmlFor="directory-q" className="visually-hidden">
            {t("directory.searchLabel")}
          </label>
          <input id="directory-q" type="search" name="q" defaultValue={query.q ?? ""} placeholder={t("directory.placeholder")} />
          {facetKeys.flatMap((key) =>
            query[key].map((v) => <input key={`${key}-${v}`} type="hidden" name={key} value={v} />),
          )}
          <button type="submit" className="button">
            {t("directory.search")}
          </button>
        </div>
        <FreeWindowFields query={query} errors={windowErrors} active={windowActive} />
      </Form>

      <div className="directory-body">
        <aside className="facets" aria-label={t("directory.filters")}>
          {facetOrder.map((facet) =>
            facets[facet].length === 0 ? null : (
              <section key={facet} className="facet">
                <h2>{facet === "accreditation" ? t("accreditation:facet") : t(`directory.facet.${facet}`)}</h2>
                <ul>
                  {facets[facet].slice(0, 12).map((v) => {
                    const chosen = (query[facet] as string[]).includes(v.key);
                    return (
                      <li key={v.key}>
                        <Link
                          to={directoryUrl(query, { [facet]: toggle(query[facet] as string[], v.key) } as Partial<DirectoryQuery>)}
                          className={chosen ? "facet-value chosen" : "facet-value"}
                          aria-current={chosen ? "true" : undefined}
                          preventScrollReset
                        >
                          <span>{facetLabel(facet, v)}</span>
                          <span className="facet-count">{v.n}</span>
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ),
          )}
        </aside>

        <section className="results" aria-live="polite" aria-busy={loading || undefined}>
          <div className="results-head">
            <p>
              {query.q ? t("directory.countFor", { count: total, q: query.q }) : t("directory.count", { count: total })}
            </p>
            <nav className="sort" aria-label={t("directory.sortLabel")}>
              {sortOptions
                .filter((s) => s !== "relevance" || query.q)
                .map((s) => (
                  <Link
                    key={s}
                    to={directoryUrl(query, { sort: s })}
                    aria-current={(query.sort ?? (query.q ? "relevance" : "newest")) === s ? "true" : undefined}
                  >
                    {t(`directory.sort.${s}`)}
                  </Link>
                ))}
            </nav>
          </div>
          {hasFilters(query) ? (
            <p className="active-filters">
              <Link to={directoryUrl({ ...query, category: [], region: [], orgType: [], org: [], mode: [], accreditation: [] }, {})}>
                {t("directory.clearFilters")}
              </Link>
            </p>
          ) : null}

          {items.length === 0 ? (
            <div className="empty">
              <p>{windowActive ? t("free-window:none") : t("directory.empty")}</p>
              {suggestions.length > 0 ? (
                <>
                  <p>{t("directory.suggestions")}</p>
                  <ul className="suggestions">
                    {suggestions.map((s) => (
                      <li key={s.slug}>
                        <Link to={`/instruments/${s.slug}`}>
                          {localName(s, locale)} <span className="muted">{s.model}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          ) : (
            <ul className="result-list">
              {items.map((i) => (
                <li key={i.slug} className="result">
                  <div className="result-photo" aria-hidden="true">
                    {i.photo ? <img src={i.photo} alt="" loading="lazy" /> : <InstrumentGlyph />}
                  </div>
                  <div className="result-text">
                    <h3>
                      <Link to={`/instruments/${i.slug}`}>
                        <Highlight text={localName(i, locale)} terms={terms} />
                      </Link>
                    </h3>
                    <p className="result-model">
                      <Highlight text={`${i.model} · ${i.manufacturer}`} terms={terms} />
                    </p>
                    <p className="result-org">
                      <Link to={`/institutions/${i.orgSlug}`}>{localName({ nameZh: i.orgNameZh, nameEn: i.orgNameEn }, locale)}</Link>
                      {" · "}
                      {localName({ nameZh: i.labNameZh, nameEn: i.labNameEn }, locale)}
                      {" · "}
                      {provinceName(i.regionCode, locale)}
                    </p>
                    {i.firstFit ? (
                      <p className="result-fit">
                        {t("free-window:firstFit")}{" "}
                        <Link to={`/instruments/${i.slug}/book?start=${encodeURIComponent(i.firstFit.start)}&end=${encodeURIComponent(i.firstFit.end)}`}>
                          {formatSpan(i.firstFit, i.zone, locale)}
                        </Link>
                      </p>
                    ) : null}
                    <p className="card-modes">
                      <span className="chip chip-category">{localName({ nameZh: i.categoryNameZh, nameEn: i.categoryNameEn }, locale)}</span>
                      {(i.serviceModes as string[]).map((m) => (
                        <span key={m} className="chip">
                          {t(`common:serviceMode.${m}`)}
                        </span>
                      ))}
                      <AccreditationBadges kinds={i.accreditations} />
                      <span className={`status status-${i.operatingStatus}`}>{t(`operatingStatus.${i.operatingStatus}`)}</span>
                    </p>
                  </div>
                </li>
              ))}
            </ul>
          )}

          <Pagination page={query.page} pages={pages} href={(page) => directoryUrl(query, { page })} />
        </section>
      </div>
    </div>
  );
}

/** "Free between T1 and T2 for at least H hours": wall-clock inputs in China Standard Time. */
function FreeWindowFields({ query, errors, active }: { query: DirectoryQuery; errors: Record<string, string | undefined>; active: boolean }) {
  const { t } = useTranslation("free-window");
  return (
    <fieldset className={`free-window${active ? " free-window-active" : ""}`}>
      <legend>{t("legend")}</legend>
      <Field label={t("from")} name="from" type="datetime-local" defaultValue={query.from ?? ""} error={errors.from} />
      <Field label={t("to")} name="to" type="datetime-local" defaultValue={query.to ?? ""} error={errors.to} />
      <Field label={t("hours")} name="hours" type="number" min="0.5" step="0.5" inputMode="decimal" defaultValue={query.hours ?? ""} error={errors.hours} />
      <div className="free-window-actions">
        <button type="submit" className="button button-secondary">
          {t("apply")}
        </button>
        {query.from || query.to || query.hours ? (
          <Link to={directoryUrl(query, { from: undefined, to: undefined, hours: undefined })}>{t("clear")}</Link>
        ) : null}
      </div>
      <p className="field-hint">{t("zoneHint")}</p>
    </fieldset>
  );
}

function hasFilters(q: DirectoryQuery) {
  return facetKeys.some((key) => q[key].length > 0);
}
