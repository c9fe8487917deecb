// The claims report an issuer asks for (申领明细), as a page and as CSV/XLSX.
import { and, eq } from "drizzle-orm";
import type { TFunction } from "i18next";
import { organizations, voucherProgrammes } from "../../db/schema";
import { csvStream, xlsxStream, type SheetSpec } from "~/catalogue/spreadsheet.server";
import { getDb } from "~/lib/db.server";
import { fenToYuanString } from "~/lib/money";
import type { Locale } from "~/lib/i18n";
import { localName } from "~/lib/format";
import { claimsReport, type ClaimRow, type ClaimsFilter } from "./vouchers.server";
import { dateTimeFormat } from "~/lib/intl";

/** The programme when it belongs to the issuer; null otherwise (the page answers 404). */
export async function issuerProgramme(issuerOrganizationId: string, programmeId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(programmeId)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ programme: voucherProgrammes, issuerNameZh: organizations.nameZh, issuerNameEn: organizations.nameEn })
    .from(voucherProgrammes)
    .innerJoin(organizations, eq(organizations.id, voucherProgrammes.issuerOrganizationId))
    .where(and(eq(voucherProgrammes.id, programmeId), eq(voucherProgrammes.issuerOrganizationId, issuerOrganizationId)));
  return row ?? null;
}

export const claimsExportFormats = ["xlsx", "csv"] as const;

const columns = [
  "company",
  "creditCode",
  "provider",
  "instrument",
  "service",
  "booking",
  "serviceDate",
  "claimedAt",
  "total",
  "voucher",
  "companyShare",
  "status",
  "reimbursedAt",
  "reference",
] as const;

const shanghaiDay = (at: Date | string) => dateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(at));

function cells(row: ClaimRow, t: TFunction, locale: Locale): string[] {
  return [
    localName({ nameZh: row.companyNameZh, nameEn: row.companyNameEn }, locale),
    row.creditCode ?? "",
    localName({ nameZh: row.providerNameZh, nameEn: row.providerNameEn }, locale),
    localName({ nameZh: row.instrumentNameZh, nameEn: row.instrumentNameEn }, locale),
    row.serviceMode ? t(`common:serviceMode.${row.serviceMode}`) : "",
    row.bookingReference,
    row.serviceDate,
    shanghaiDay(row.claimedAt),
    fenToYuanString(row.chargeTotalFen),
    fenToYuanString(row.voucherFen),
    fenToYuanString(row.companyFen),
    t(`vouchers:claimStatus.${row.status}`),
    row.reimbursedAt ? shanghaiDay(row.reimbursedAt) : "",
    row.reimbursementReference ?? "",
  ];
}

/** The report as a download; amounts in yuan with two decimals, dates in Shanghai. */
export async function claimsExport(
  issuerOrganizationId: string,
  programme: { id: string; nameZh: string; nameEn: string },
  filter: Omit<ClaimsFilter, "programmeId">,
  format: (typeof claimsExportFormats)[number],
  t: TFunction,
  locale: Locale,
) {
  const rows = await claimsReport(issuerOrganizationId, { ...filter, programmeId: programme.id });
  const spec: SheetSpec = {
    sheetName: t("vouchers:issuer.claims"),
    headers: columns.map((c) => t(`vouchers:claims.${c}`)),
    widths: [28, 22, 24, 24, 16, 16, 12, 12, 12, 12, 12, 10, 12, 20],
    textColumns: [1, 5],
  };
  async function* lines() {
    for (const row of rows) yield cells(row, t, locale);
  }
  const name = `voucher-claims-${programme.id.slice(0, 8)}-${filter.from || "start"}-${filter.until || "today"}.${format}`;
  return {
    body: format === "csv" ? csvStream(spec, lines()) : xlsxStream(spec, lines()),
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename: name,
  };
}
