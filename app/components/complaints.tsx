import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime, formatNumber, localName } from "~/lib/format";
import type { Locale } from "~/lib/i18n";
import { daysOpen, type ComplaintResolution, type ComplaintStatus, type ComplaintSubject, type LabResponseFigures } from "~/trust/complaint";

export interface ComplaintRow {
  id: string;
  subjectKind: ComplaintSubject;
  status: ComplaintStatus;
  resolution: ComplaintResolution | null;
  filedAt: string | Date;
  resolvedAt: string | Date | null;
  reference: string | null;
  labNameZh: string;
  labNameEn: string;
  organizationNameZh: string;
  organizationNameEn: string;
}

/** "Booking BK-…", "Charge CH-…" or "the lab as a whole". */
export function ComplaintAbout({ row }: { row: Pick<ComplaintRow, "subjectKind" | "reference"> }) {
  const { t } = useTranslation("complaints");
  return <>{t(`subject.${row.subjectKind}`, { reference: row.reference ?? "" })}</>;
}

export function ComplaintStatusChip({ row }: { row: Pick<ComplaintRow, "status" | "resolution"> }) {
  const { t } = useTranslation("complaints");
  return (
    <span className={`chip complaint-status complaint-status-${row.status}`}>
      {t(`status.${row.status}`)}
      {row.resolution ? ` · ${t(`resolution.${row.resolution}`)}` : null}
    </span>
  );
}

/** Days from filing to now, or to the decision for a resolved one. */
export const ageOf = (row: Pick<ComplaintRow, "filedAt" | "resolvedAt">, now: Date) => daysOpen(new Date(row.filedAt), row.resolvedAt ? new Date(row.resolvedAt) : now);

/** A list of complaints; `showCustomer` adds the complaining organisation (lab and admin views). */
export function ComplaintTable({ rows, locale, now, caption, showCustomer }: { rows: ComplaintRow[]; locale: Locale; now: Date; caption: string; showCustomer?: boolean }) {
  const { t } = useTranslation("complaints");
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="manage-table complaint-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("list.filed")}</th>
            <th scope="col">{t("list.about")}</th>
            <th scope="col">{t("list.lab")}</th>
            {showCustomer ? <th scope="col">{t("list.organization")}</th> : null}
            <th scope="col">{t("list.status")}</th>
            <th scope="col">{t("list.daysOpen")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/complaints/${r.id}`}>
                  {formatDateTime(r.filedAt, locale)}
                </Link>
              </td>
              <td>
                <ComplaintAbout row={r} />
              </td>
              <td>{localName({ nameZh: r.labNameZh, nameEn: r.labNameEn }, locale)}</td>
              {showCustomer ? <td>{localName({ nameZh: r.organizationNameZh, nameEn: r.organizationNameEn }, locale)}</td> : null}
              <td>
                <ComplaintStatusChip row={r} />
              </td>
              <td>{ageOf(r, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One lab's response figures as a sentence. */
export function ResponseSummary({ figures, locale }: { figures: LabResponseFigures; locale: Locale }) {
  const { t } = useTranslation("complaints");
  const hours = figures.medianResponseHours === null ? t("figures.none") : formatNumber(figures.medianResponseHours, locale, 1);
  return <p>{t("figures.summary", { filed: figures.filed, unresolved: figures.unresolved, unanswered: figures.unanswered, hours })}</p>;
}
