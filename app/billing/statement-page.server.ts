// What both statement routes do: read the month from the query, answer the page data or the XLSX.
import { notFound } from "~/accounts/authz.server";
import { downloadResponse } from "~/catalogue/export.server";
import { i18nServer } from "~/lib/i18n.server";
import { statementMonthSchema } from "./finance";
import { monthlyStatement, statementXlsx, type StatementSide } from "./statements.server";
import { shanghaiDate } from "./vouchers.server";

export async function statementLoader(request: Request, side: StatementSide, organizationId: string) {
  const url = new URL(request.url);
  const { month, format } = statementMonthSchema(shanghaiDate(new Date()).slice(0, 7)).parse(Object.fromEntries(url.searchParams));
  const [statement, t, locale] = await Promise.all([monthlyStatement(side, organizationId, month), i18nServer.getFixedT(request, ["finance", "common"]), i18nServer.getLocale(request)]);
  if (!statement) throw notFound();
  if (format === "xlsx") throw downloadResponse(statementXlsx(statement, t, locale === "en" ? "en" : "zh-CN"));
  const xlsx = new URLSearchParams(url.searchParams);
  xlsx.set("month", month);
  xlsx.set("format", "xlsx");
  return { title: `${t("statement.title")} ${month} · OpenLab`, statement, xlsxHref: `${url.pathname}?${xlsx}` };
}
