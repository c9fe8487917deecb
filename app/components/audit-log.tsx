import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/pagination";
import { formatDateTime, localName } from "~/lib/format";
import type { Locale } from "~/lib/i18n";
import { auditQueryString, type AuditQuery } from "~/trust/audit";

export interface AuditItem {
  id: string;
  at: string | Date;
  actorEmail: string | null;
  actorName: string | null;
  organizationNameZh: string | null;
  organizationNameEn: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  ip: string | null;
}

const entityTypes = ["instrument", "booking", "closure", "lab", "user", "provider_application", "organization", "credit_block", "setting"];

/** A JSON value as the reader sees it: text as typed (React escapes it), anything else as JSON. */
const shown = (value: unknown) => (value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value));

function Changes({ before, after }: { before: unknown; after: unknown }) {
  const was = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const now = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])];
  if (keys.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="audit-changes">
      {keys.map((key) => (
        <li key={key}>
          <code>{key}</code>: {key in was ? <del>{shown(was[key])}</del> : null}
          {key in was && key in now ? " → " : null}
          {key in now ? <ins>{shown(now[key])}</ins> : null}
        </li>
      ))}
    </ul>
  );
}

/** The audit log page body shared by the institution admin's and the platform admin's routes. */
export function AuditLog({
  filter,
  items,
  total,
  pageSize,
  actions,
  csvPath,
  showOrganization,
  locale,
}: {
  filter: AuditQuery;
  items: AuditItem[];
  total: number;
  pageSize: number;
  actions: string[];
  csvPath: string;
  showOrganization: boolean;
  locale: Locale;
}) {
  const { t } = useTranslation("trust");
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const label = (action: string) => t(`audit.actions.${action}`, { defaultValue: action });
  return (
    <>
      <Form method="get" className="admin-filter audit-filter">
        <div className="field">
          <label htmlFor="audit-from">{t("audit.from")}</label>
          <input id="audit-from" type="date" name="from" defaultValue={filter.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t("audit.to")}</label>
          <input id="audit-to" type="date" name="to" defaultValue={filter.to ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t("audit.actor")}</label>
          <input id="audit-actor" type="search" name="actor" defaultValue={filter.actor ?? ""} placeholder={t("audit.actorPlaceholder")} />
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t("audit.action")}</label>
          <select id="audit-action" name="action" defaultValue={filter.action ?? ""}>
            <option value="">{t("audit.allActions")}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {label(a)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-entity">{t("audit.entity")}</label>
          <select id="audit-entity" name="entityType" defaultValue={filter.entityType ?? ""}>
            <option value="">{t("audit.allEntities")}</option>
            {entityTypes.map((e) => (
              <option key={e} value={e}>
                {t(`audit.entities.${e}`)}
              </option>
            ))}
          </select>
        </div>
        {filter.entityId ? <input type="hidden" name="entityId" value={filter.entityId} /> : null}
        <button type="submit" className="button">
          {t("audit.filter")}
        </button>
      </Form>
      <p className="muted">
        {t("audit.count", { count: total })} ·{" "}
        <a href={`${csvPath}${auditQueryString(filter)}`} download>
          {t("audit.exportCsv")}
        </a>
        {filter.entityId ? (
          <>
            {" "}
            · {t("audit.oneObject", { id: filter.entityId })} <Link to={auditQueryString({ ...filter, entityId: undefined, entityType: undefined })}>{t("audit.allObjects")}</Link>
          </>
        ) : null}
      </p>
      {items.length === 0 ? (
        <p className="empty">{t("audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table audit-table">
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.actor")}</th>
                {showOrganization ? <th scope="col">{t("audit.organization")}</th> : null}
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.change")}</th>
                <th scope="col">IP</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at, locale)}</td>
                  <td>
                    {e.actorName ?? t("audit.system")}
                    {e.actorEmail ? <div className="muted">{e.actorEmail}</div> : null}
                  </td>
                  {showOrganization ? (
                    <td>{e.organizationNameZh ? localName({ nameZh: e.organizationNameZh, nameEn: e.organizationNameEn ?? "" }, locale) : "—"}</td>
                  ) : null}
                  <td>
                    {label(e.action)}
                    <div className="muted">
                      <Link to={auditQueryString({ entityType: e.entityType, entityId: e.entityId })} title={t("audit.historyOf")}>
                        {t(`audit.entities.${e.entityType}`, { defaultValue: e.entityType })} {e.entityId.slice(0, 8)}
                      </Link>
                    </div>
                  </td>
                  <td>
                    <Changes before={e.before} after={e.after} />
                  </td>
                  <td>{e.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={filter.page} pages={pages} href={(page) => auditQueryString(filter, page) || "?"} />
    </>
  );
}
