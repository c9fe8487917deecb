// Loading and saving an institution's annual sharing-evaluation report. The figures are computed
// afresh from the summaries each time; only what the institution admin entered is stored.
import { and, count, eq, ne, sql } from "drizzle-orm";
import { instruments, memberships, organizations, sharingReports } from "../../db/schema";
import { getDb } from "~/lib/db.server";
import { recordAudit } from "~/trust/audit.server";
import { computedFigures } from "./annual";
import { yearPeriod } from "./period";
import { utilisationReport } from "./report.server";

export async function annualReport(organizationId: string, year: number) {
  const db = await getDb();
  const [org] = await db
    .select({ id: organizations.id, nameZh: organizations.nameZh, nameEn: organizations.nameEn })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  if (!org) return null;
  const report = await utilisationReport({ kind: "institution", organizationId }, yearPeriod(year), "instrument");
  const [[instrumentCounts], [staff], [saved]] = [
    await db
      .select({ all: count(), open: sql<number>`count(*) filter (where ${instruments.status} = 'published')` })
      .from(instruments)
      .where(and(eq(instruments.organizationId, organizationId), ne(instruments.status, "draft"))),
    await db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "lab_staff"))),
    await db
      .select()
      .from(sharingReports)
      .where(and(eq(sharingReports.organizationId, organizationId), eq(sharingReports.year, year)))
      .limit(1),
  ];
  const figures = computedFigures(report, {
    instruments: Number(instrumentCounts?.all ?? 0),
    openInstruments: Number(instrumentCounts?.open ?? 0),
    labStaff: Number(staff?.n ?? 0),
  });
  return {
    organization: org,
    year,
    report,
    figures,
    entries: saved?.entries ?? {},
    reasons: saved?.reasons ?? {},
    updatedAt: saved?.updatedAt ?? null,
  };
}

/** Stores what the admin entered (one row per institution and year) with its audit entry. */
export async function saveAnnualReport(
  organizationId: string,
  year: number,
  input: { entries: Record<string, string>; reasons: Record<string, string> },
  actorUserId: string,
  ip: string | null,
) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ entries: sharingReports.entries, reasons: sharingReports.reasons })
      .from(sharingReports)
      .where(and(eq(sharingReports.organizationId, organizationId), eq(sharingReports.year, year)))
      .limit(1);
    const row = { organizationId, year, ...input, updatedBy: actorUserId, updatedAt: new Date() };
    const [saved] = await tx
      .insert(sharingReports)
      .values(row)
      .onConflictDoUpdate({ target: [sharingReports.organizationId, sharingReports.year], set: row })
      .returning({ id: sharingReports.id });
    await recordAudit(tx, {
      actorUserId,
      organizationId,
      action: "report.update",
      entityType: "sharing_report",
      entityId: saved!.id,
      before: before ?? null,
      after: input,
      ip,
    });
  });
}
