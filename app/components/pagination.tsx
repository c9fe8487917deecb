import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "~/lib/format";
import { useLocale } from "~/root";

/** Previous / "page X of Y" / next under a paged list; nothing when there is one page. */
export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  const { t } = useTranslation("common");
  const locale = useLocale();
  if (pages <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? <Link to={href(page - 1)}>← {t("pagination.prev")}</Link> : <span />}
      <span>{t("pagination.pageOf", { page: formatNumber(page, locale), pages: formatNumber(pages, locale) })}</span>
      {page < pages ? <Link to={href(page + 1)}>{t("pagination.next")} →</Link> : <span />}
    </nav>
  );
}
