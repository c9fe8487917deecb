import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { notFound, requireVoucherIssuer } from "~/accounts/authz.server";
import { downloadResponse } from "~/catalogue/export.server";
import { claimsExport, claimsExportFormats, issuerProgramme } from "~/billing/voucher-claims.server";
import { claimsPeriodSchema } from "~/billing/vouchers";
import { i18nServer } from "~/lib/i18n.server";

const query = claimsPeriodSchema.extend({ format: z.enum(claimsExportFormats).catch("xlsx") });

/** The claims report as XLSX or CSV, ?format=xlsx|csv with the page's filter. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireVoucherIssuer(request, params.orgId ?? "");
  const found = await issuerProgramme(params.orgId!, params.programmeId ?? "");
  if (!found) throw notFound();
  const { format, ...filter } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [t, locale] = await Promise.all([i18nServer.getFixedT(request, ["vouchers", "common"]), i18nServer.getLocale(request)]);
  return downloadResponse(await claimsExport(params.orgId!, found.programme, filter, format, t, locale === "en" ? "en" : "zh-CN"));
}
