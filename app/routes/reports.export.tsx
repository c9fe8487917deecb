import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireReportViewer } from "~/accounts/authz.server";
import { i18nServer } from "~/lib/i18n.server";
import { exportTable } from "~/reporting/export.server";
import { parseDashboardQuery } from "~/reporting/dashboard.server";

/** The dashboard's table as CSV or XLSX, streamed; same period, grouping and scope as the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireReportViewer(request);
  const url = new URL(request.url);
  const query = parseDashboardQuery(url.searchParams, new Date());
  const format = url.searchParams.get("format") === "xlsx" ? "xlsx" : "csv";
  const t = await i18nServer.getFixedT(request, "reporting");
  if (!query.ok) return new Response(t("validation.badPeriod"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const locale = (await i18nServer.getLocale(request)) === "en" ? "en" : "zh-CN";
  return exportTable(scope, query.period, query.grouping, format, locale, (key) => t(`col.${key}`));
}
