import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireAnnualReport } from "~/accounts/authz.server";
import { i18nServer } from "~/lib/i18n.server";
import { annualWorkbook } from "~/reporting/annual-export.server";
import { annualReport } from "~/reporting/annual.server";
import { reportYear } from "~/reporting/period";

/** The annual sharing-evaluation report as XLSX, for the same readers as its page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAnnualReport(request, params.orgId ?? "");
  const year = reportYear(params.year);
  if (year === null) throw notFound();
  const data = await annualReport(params.orgId!, year);
  if (!data) throw notFound();
  const t = await i18nServer.getFixedT(request, "reporting");
  const locale = (await i18nServer.getLocale(request)) === "en" ? "en" : "zh-CN";
  return annualWorkbook(data, locale, (key, vars) => t(`annual.${key}`, vars));
}
