import { useTranslation } from "react-i18next";
import type { ImportIssue } from "~/catalogue/import";
import { previewColumns } from "~/catalogue/import";
import { acceptedValues, columnHeader, instrumentColumns, type ColumnKey } from "~/catalogue/instrument-columns";
import { useLocale } from "~/root";

/** The preview of an uploaded instrument file: counts, every problem, and the first rows. */

type Check = {
  ok: boolean;
  rowCount: number;
  issues: ImportIssue[];
  moreIssues: number;
  preview: { row: number; cells: Partial<Record<ColumnKey, string>> }[];
};

const byKey = new Map(instrumentColumns.map((c) => [c.key, c]));

function useColumnName() {
  const locale = useLocale();
  return (key: ColumnKey) => {
    const c = byKey.get(key)!;
    return locale === "en" ? c.en : c.zh;
  };
}

export function ImportReport({ check }: { check: Check }) {
  const { t } = useTranslation("import");
  // Messages carry their namespace ("import:error.…", "catalogue:validation.…") or are common keys.
  const { t: message } = useTranslation("common");
  const columnName = useColumnName();
  const problems = check.issues.length + check.moreIssues;
  const badRows = new Set(check.issues.map((i) => i.row));
  return (
    <>
      {check.rowCount > 0 ? <p>{t("preview.rows", { count: check.rowCount })}</p> : null}
      {check.ok ? (
        <p className="notice" role="status">
          {t("preview.ready", { count: check.rowCount })}
        </p>
      ) : (
        <>
          <p className="notice notice-warning" role="alert">
            {t("preview.problems", { count: problems })}
          </p>
          {/* Wide tables scroll; the focusable region lets keyboard users scroll them too. */}
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="import-issues-caption">
            <table className="import-issues">
              <caption id="import-issues-caption">{t("preview.problemsCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("preview.row")}</th>
                  <th scope="col">{t("preview.column")}</th>
                  <th scope="col">{t("preview.message")}</th>
                </tr>
              </thead>
              <tbody>
                {check.issues.map((issue, i) => (
                  <tr key={i}>
                    <td>{issue.row ?? t("preview.wholeFile")}</td>
                    <td>{issue.column ? columnName(issue.column) : "—"}</td>
                    <td>{message(issue.message, { ...issue.params })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {check.moreIssues > 0 ? <p>{t("preview.more", { count: check.moreIssues })}</p> : null}
        </>
      )}
      {check.preview.length > 0 ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="import-preview-caption">
          <table className="import-preview">
            <caption id="import-preview-caption">{t("preview.firstRows", { count: check.preview.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("preview.row")}</th>
                {previewColumns.map((key) => (
                  <th scope="col" key={key}>
                    {columnName(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {check.preview.map((r) => (
                <tr key={r.row} className={badRows.has(r.row) ? "import-row-bad" : undefined}>
                  <th scope="row">{r.row}</th>
                  {previewColumns.map((key) => (
                    <td key={key}>{r.cells[key] ?? ""}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** Every column of the template with an example and the values a vocabulary column accepts. */
export function ImportColumnGuide() {
  const { t } = useTranslation("import");
  const locale = useLocale();
  return (
    <details className="panel import-guide">
      <summary>{t("guide.heading")}</summary>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("guide.heading")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("guide.column")}</th>
              <th scope="col">{t("guide.required")}</th>
              <th scope="col">{t("guide.example")}</th>
              <th scope="col">{t("guide.accepted")}</th>
            </tr>
          </thead>
          <tbody>
            {instrumentColumns.map((c) => (
              <tr key={c.key}>
                <td>{columnHeader(c)}</td>
                <td>{c.required ? t("guide.yes") : t("guide.no")}</td>
                <td>{c.example}</td>
                <td>{acceptedValues(c.key)?.map((v) => (locale === "en" ? `${v.en} (${v.code})` : `${v.zh}（${v.code}）`)).join(locale === "en" ? "; " : "；") ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
