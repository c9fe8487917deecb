import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { forbidden, notFound, requireAnnualReport } from "~/accounts/authz.server";
import { CsrfInput, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDateTime, formatNumber, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm, submittedText } from "~/lib/validation";
import { annualFormSchema, annualItems, entryFields, reasonField } from "~/reporting/annual";
import { annualReport, saveAnnualReport } from "~/reporting/annual.server";
import { reportYear } from "~/reporting/period";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reporting"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

async function load(request: Request, params: { orgId?: string; year?: string }) {
  const { viewer, canEdit } = await requireAnnualReport(request, params.orgId ?? "");
  const year = reportYear(params.year);
  if (year === null) throw notFound();
  const report = await annualReport(params.orgId!, year);
  if (!report) throw notFound();
  return { viewer, canEdit, year, report };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { canEdit, report } = await load(request, params);
  const t = await i18nServer.getFixedT(request, "reporting");
  return { title: `${t("annual.open", { year: report.year })} · OpenLab`, canEdit, ...report };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer, canEdit, year, report } = await load(request, params);
  if (!canEdit) throw forbidden();
  const form = await formOf(request);
  const parsed = parseForm(annualFormSchema(report.report.belowThreshold.map((g) => g.key)), form);
  if (!parsed.ok) return data({ saved: false as const, errors: parsed.errors, values: submittedText(form) }, { status: 400 });
  await saveAnnualReport(report.organization.id, year, parsed.data, viewer.id, clientIp(request, context));
  return { saved: true as const, errors: {} as Record<string, string>, values: {} as Record<string, string> };
}

export default function AnnualReport() {
  const { t } = useTranslation("reporting");
  const locale = useLocale();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { organization, year, figures, entries, reasons, report, canEdit, updatedAt } = loaded;
  const ta = (key: string, vars?: Record<string, unknown>) => t(`annual.${key}`, vars);
  const pct = (v: number | null) => (v === null ? "—" : `${formatNumber(v, locale, 1)}%`);
  const sections = annualItems(figures, entries, ta, pct);
  const errors = result?.errors ?? {};
  const typed = result?.values ?? {};
  const fieldError = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`${name}-error`}>
        {t(errors[name]!.replace(/^reporting:/, ""), { ns: errors[name]!.startsWith("reporting:") ? "reporting" : "common" })}
      </span>
    ) : null;
  return (
    <section className="section reports annual-report">
      <p className="no-print">
        <Link to={`/reports?period=year&year=${year}`}>{t("drill.back")}</Link>
      </p>
      <h1>{ta("title", { org: localName(organization, locale), year })}</h1>
      <p className="as-of">
        {report.asOf ? t("dashboard.asOf", { at: formatDateTime(report.asOf, locale) }) : t("dashboard.neverRefreshed")}
        {updatedAt ? ` · ${ta("updatedAt", { at: formatDateTime(updatedAt, locale) })}` : ""}
      </p>
      <p className="no-print">
        <button type="button" className="button button-secondary button-compact" onClick={() => window.print()}>
          {ta("print")}
        </button>{" "}
        <a href={`/reports/annual/${organization.id}/${year}.xlsx`} download>
          {ta("xlsx")}
        </a>
      </p>
      {result?.saved ? (
        <p role="status" className="notice no-print">
          {ta("saved")}
        </p>
      ) : null}
      {sections.map((section) => (
        <section key={section.key}>
          <h2>{section.label}</h2>
          <div className="table-wrap">
            <table>
              <tbody>
                {section.items.map((item) => (
                  <tr key={item.key}>
                    <th scope="row">{item.label}</th>
                    <td>
                      {item.figures.map((line) => (
                        <p key={line}>{line}</p>
                      ))}
                      {item.entries.map((e) => (
                        <p key={e.key}>
                          {e.label}：{e.value || ta("notEntered")}
                        </p>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <section>
        <h2>{ta("section.below")}</h2>
        {report.belowThreshold.length === 0 ? (
          <p className="empty">{ta("noneBelow")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{ta("belowCol.instrument")}</th>
                  <th scope="col">{ta("belowCol.utilisation")}</th>
                  <th scope="col">{ta("belowCol.unbooked")}</th>
                  <th scope="col">{ta("belowCol.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {report.belowThreshold.map((g) => (
                  <tr key={g.key}>
                    <th scope="row">
                      <Link to={`/reports/instruments/${g.key}?period=year&year=${year}`}>{localName(g, locale)}</Link>
                    </th>
                    <td>{pct(g.ratios.utilisation)}</td>
                    <td>{formatNumber(g.ratios.unbookedMinutes / 60, locale, 1)}</td>
                    <td>{reasons[g.key] || ta("notEntered")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {canEdit ? (
        <Form method="post" className="panel record-form no-print" aria-labelledby="annual-form-title">
          <h2 id="annual-form-title">{ta("formTitle")}</h2>
          <p>{ta("formHint")}</p>
          <CsrfInput />
          {sections.flatMap((s) =>
            s.items.flatMap((item) =>
              item.entries.map((e) => (
                <label key={e.key} className="field">
                  <span>
                    {item.label} · {e.label}
                  </span>
                  {entryFields[e.key].kind === "text" ? (
                    <textarea name={e.key} defaultValue={typed[e.key] ?? e.value} maxLength={2000} aria-invalid={errors[e.key] ? true : undefined} />
                  ) : (
                    <input name={e.key} inputMode="numeric" defaultValue={typed[e.key] ?? e.value} aria-invalid={errors[e.key] ? true : undefined} />
                  )}
                  {fieldError(e.key)}
                </label>
              )),
            ),
          )}
          {report.belowThreshold.map((g) => (
            <label key={g.key} className="field">
              <span>
                {ta("belowCol.reason")} · {localName(g, locale)}
              </span>
              <textarea name={reasonField(g.key)} defaultValue={typed[reasonField(g.key)] ?? reasons[g.key] ?? ""} maxLength={500} />
              {fieldError(reasonField(g.key))}
            </label>
          ))}
          <SubmitButton busyLabel={ta("saving")}>{ta("save")}</SubmitButton>
        </Form>
      ) : null}
    </section>
  );
}
