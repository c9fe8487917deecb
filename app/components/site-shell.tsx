import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { can } from "~/accounts/permissions";
import { useRootData } from "~/root";
import { CsrfInput } from "./forms";

export function SiteHeader() {
  const { t } = useTranslation();
  const root = useRootData();
  const viewer = root?.viewer ?? null;
  const locale = root?.locale ?? "zh-CN";
  const location = useLocation();
  const menu = useRef<HTMLDetailsElement>(null);
  // The menu is a <details>; close it once one of its links has been followed.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  const back = location.pathname + location.search;
  const institutionId = viewer?.memberships.find((m) => m.role === "institution_admin")?.organizationId;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <div className="site-header-inner">
        <Link to="/" className="brand" aria-label={t("brand.home")}>
          <span className="brand-mark" aria-hidden="true">
            OL
          </span>
          <span className="brand-name">{t("brand.name")}</span>
        </Link>
        <form method="get" action="/instruments" className="header-search" role="search">
          <label htmlFor="site-search" className="visually-hidden">
            {t("nav.searchLabel")}
          </label>
          <input id="site-search" type="search" name="q" placeholder={t("nav.searchPlaceholder")} />
          <button type="submit">{t("nav.search")}</button>
        </form>
        <nav className="header-nav" aria-label={t("nav.main")}>
          <Link to="/instruments">{t("nav.instruments")}</Link>
          <Link to="/institutions" className="nav-secondary">
            {t("nav.institutions")}
          </Link>
          <Link to="/stats" className="nav-secondary">
            {t("stats:nav.stats")}
          </Link>
          <Form method="post" action="/set-language" className="lang-switch">
            <CsrfInput />
            <input type="hidden" name="redirectTo" value={back} />
            <button type="submit" name="lng" value={locale === "en" ? "zh-CN" : "en"} lang={locale === "en" ? "zh-CN" : "en"}>
              {locale === "en" ? "中文" : "English"}
            </button>
          </Form>
          {viewer ? (
            <details className="account-menu" ref={menu}>
              <summary>{viewer.displayName}</summary>
              <div className="account-menu-panel">
                <span className="account-email">{viewer.email}</span>
                <Link to="/account">{t("nav.account")}</Link>
                <Link to="/bookings">{t("reserve:nav.myBookings")}</Link>
                <Link to="/credit">{t("trust:credit.nav")}</Link>
                {can(viewer, "file:complaint:organization") ? <Link to="/complaints">{t("complaints:nav")}</Link> : null}
                {can(viewer, "manage:instruments:lab") ? <Link to="/manage">{t("manage:nav.myLabs")}</Link> : null}
                {can(viewer, "manage:organization:platform") ? <Link to="/admin/instruments">{t("manage:nav.platformListings")}</Link> : null}
                {can(viewer, "view:outbox:platform") ? <Link to="/admin/outbox">{t("nav.outbox")}</Link> : null}
                {can(viewer, "manage:organization:platform") ? <Link to="/admin/applications">{t("onboarding:nav.reviewApplications")}</Link> : null}
                {can(viewer, "manage:organization:platform") ? <Link to="/admin/audit">{t("trust:nav.audit")}</Link> : null}
                {can(viewer, "manage:organization:platform") ? <Link to="/admin/credit">{t("trust:credit.adminNav")}</Link> : null}
                {can(viewer, "manage:organization:platform") ? <Link to="/admin/reviews">{t("reviews:admin.nav")}</Link> : null}
                {can(viewer, "resolve:complaint:platform") ? <Link to="/admin/complaints">{t("complaints:admin.title")}</Link> : null}
                {can(viewer, "manage:vouchers:platform") ? <Link to="/admin/vouchers">{t("vouchers:nav.programmes")}</Link> : null}
                {can(viewer, "view:charges:organization") ? <Link to="/charges">{t("finance:nav.charges")}</Link> : null}
                {institutionId && can(viewer, "manage:finance:institution", { organizationId: institutionId }) ? (
                  <Link to={`/manage/institutions/${institutionId}/finance`}>{t("finance:nav.finance")}</Link>
                ) : null}
                {viewer.memberships.some((m) => m.role === "org_admin") ? <Link to="/vouchers">{t("vouchers:nav.myVouchers")}</Link> : null}
                {institutionId && can(viewer, "manage:labs:institution", { organizationId: institutionId }) ? (
                  <Link to={`/manage/institutions/${institutionId}`}>{t("onboarding:nav.institution")}</Link>
                ) : null}
                {institutionId || viewer.isPlatformAdmin ? <Link to="/reports/national">{t("stats:national.title")}</Link> : null}
                <Form method="post" action="/logout">
                  <CsrfInput />
                  <button type="submit" className="link-button">
                    {t("nav.signOut")}
                  </button>
                </Form>
              </div>
            </details>
          ) : (
            <>
              <Link to="/login">{t("nav.signIn")}</Link>
              <Link to="/signup" className="button button-small">
                {t("nav.signUp")}
              </Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  const viewer = useRootData()?.viewer ?? null;
  // Institutions that already provide instruments don't need the invitation to apply.
  const provider = viewer?.memberships.some((m) => m.role === "institution_admin" || m.role === "lab_staff") ?? false;
  return (
    <footer className="site-footer">
      <div className="site-footer-inner">
        <div>
          <strong>{t("brand.name")}</strong>
          <p>{t("footer.tagline")}</p>
        </div>
        <nav aria-label={t("footer.links")}>
          <Link to="/instruments">{t("nav.instruments")}</Link>
          <Link to="/institutions">{t("nav.institutions")}</Link>
          <Link to="/stats">{t("stats:nav.stats")}</Link>
          {provider ? null : <Link to="/apply">{t("onboarding:nav.becomeProvider")}</Link>}
        </nav>
        <p className="footer-note">{t("footer.note")}</p>
      </div>
    </footer>
  );
}
