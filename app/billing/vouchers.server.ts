// Innovation vouchers (科技创新券): programmes, grants, the split of a charge and the claims it makes.
import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { bookings, instruments, labs, organizations, voucherClaims, voucherGrants, voucherProgrammes } from "../../db/schema";
import type { CustomerClass } from "../../db/schema/billing-vocabulary";
import type { OrganizationType, ServiceMode } from "../../db/schema/vocabulary";
import { recordAudit } from "~/trust/audit.server";
import { postLedgerTransaction, type LedgerAccountRef } from "./ledger.server";
import { getDb, type Tx } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/validation";
import { splitCharge, type SplitProgramme, type VoucherSplit } from "./voucher-split";
import type { grantApplicationSchema, grantDecisionSchema, ProgrammeInput } from "./vouchers";
import type { z } from "zod";
import { dateTimeFormat } from "~/lib/intl";

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

/** A calendar day in Shanghai (programme validity and yearly caps are counted in it). */
export const shanghaiDate = (at: Date) => dateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at);

/** The class a company stands in for voucher purposes, before any relation to a provider is known. */
export function standingClass(org: { type: OrganizationType; isSme: boolean }): CustomerClass | null {
  if (org.type === "enterprise") return org.isSme ? "sme" : "enterprise";
  if (org.type === "university" || org.type === "institute" || org.type === "national_centre") return "academic";
  return null;
}

// ── Programmes (platform admins) ──────────────────────────────────────────────────────────────

export async function listProgrammes() {
  const db = await getDb();
  return db
    .select({
      programme: voucherProgrammes,
      issuerNameZh: organizations.nameZh,
      issuerNameEn: organizations.nameEn,
      grantedFen: sql<number>`coalesce((select sum(approved_fen) from voucher_grants g where g.programme_id = ${voucherProgrammes.id} and g.status = 'approved'), 0)`.mapWith(Number),
      claimedFen: sql<number>`coalesce((select sum(voucher_fen) from voucher_claims c where c.programme_id = ${voucherProgrammes.id}), 0)`.mapWith(Number),
    })
    .from(voucherProgrammes)
    .innerJoin(organizations, eq(organizations.id, voucherProgrammes.issuerOrganizationId))
    .orderBy(asc(voucherProgrammes.stackingOrder), asc(voucherProgrammes.nameZh));
}

/** Government bodies that may issue vouchers. */
export async function issuerOptions() {
  const db = await getDb();
  return db
    .select({ id: organizations.id, nameZh: organizations.nameZh, nameEn: organizations.nameEn })
    .from(organizations)
    .where(eq(organizations.type, "government"))
    .orderBy(asc(organizations.nameZh));
}

export async function createProgramme(actorUserId: string, input: ProgrammeInput): Promise<Outcome<{ id: string }>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [issuer] = await tx.select({ type: organizations.type }).from(organizations).where(eq(organizations.id, input.issuerOrganizationId));
    if (issuer?.type !== "government") return { ok: false as const, errors: { issuerOrganizationId: "vouchers:validation.issuer" } };
    const values = {
      issuerOrganizationId: input.issuerOrganizationId,
      nameZh: input.nameZh,
      nameEn: input.nameEn,
      coveragePercent: input.coveragePercent,
      perClaimCapFen: input.perClaimCap,
      yearlyCapFen: input.yearlyCap,
      eligibleCustomerClasses: input.eligibleCustomerClasses,
      eligibleCategoryCodes: input.eligibleCategoryCodes,
      excludedServiceModes: input.excludedServiceModes,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      stackingOrder: input.stackingOrder,
      createdBy: actorUserId,
    };
    const [row] = await tx.insert(voucherProgrammes).values(values).returning({ id: voucherProgrammes.id });
    await recordAudit(tx, {
      actorUserId,
      organizationId: input.issuerOrganizationId,
      action: "voucher_programme.create",
      entityType: "voucher_programme",
      entityId: row!.id,
      after: values,
    });
    return { ok: true as const, id: row!.id };
  });
}

// ── Grants (companies apply, issuers decide) ──────────────────────────────────────────────────

/** The company's grants with their balances, and the programmes open to it it has not applied to. */
export async function vouchersOfCompany(organizationId: string, today: string) {
  const db = await getDb();
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) return null;
  const grants = await db
    .select({ grant: voucherGrants, programme: voucherProgrammes, issuerNameZh: organizations.nameZh, issuerNameEn: organizations.nameEn })
    .from(voucherGrants)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherGrants.programmeId))
    .innerJoin(organizations, eq(organizations.id, voucherProgrammes.issuerOrganizationId))
    .where(eq(voucherGrants.organizationId, organizationId))
    .orderBy(asc(voucherProgrammes.stackingOrder), desc(voucherGrants.createdAt));
  const held = new Set(grants.filter((g) => g.grant.status !== "rejected").map((g) => g.programme.id));
  const cls = standingClass(org);
  const open = (await listProgrammes()).filter(
    (p) => !held.has(p.programme.id) && p.programme.validUntil >= today && cls !== null && p.programme.eligibleCustomerClasses.includes(cls),
  );
  return { organization: org, grants, open };
}

export async function applyForGrant(
  actorUserId: string,
  organizationId: string,
  input: z.infer<typeof grantApplicationSchema>,
  today: string,
): Promise<Outcome<{ id: string }>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
    const [programme] = await tx.select().from(voucherProgrammes).where(eq(voucherProgrammes.id, input.programmeId));
    if (!org || !programme) return { ok: false as const, errors: { programmeId: "vouchers:validation.programme" } };
    const cls = standingClass(org);
    if (cls === null || !programme.eligibleCustomerClasses.includes(cls)) {
      return { ok: false as const, errors: { programmeId: "vouchers:validation.companyNotEligible" } };
    }
    if (programme.validUntil < today) return { ok: false as const, errors: { programmeId: "vouchers:validation.programmeClosed" } };
    const [row] = await tx
      .insert(voucherGrants)
      .values({ programmeId: programme.id, organizationId, requestedFen: input.requested, purpose: input.purpose, appliedBy: actorUserId })
      .onConflictDoNothing()
      .returning({ id: voucherGrants.id });
    if (!row) return { ok: false as const, errors: { programmeId: "vouchers:validation.alreadyApplied" } };
    await recordAudit(tx, {
      actorUserId,
      organizationId,
      action: "voucher_grant.apply",
      entityType: "voucher_grant",
      entityId: row.id,
      after: { programmeId: programme.id, requestedFen: input.requested },
    });
    return { ok: true as const, id: row.id };
  });
}

/** Everything an issuer's page shows: its programmes and the grants under them, open applications first. */
export async function grantsOfIssuer(issuerOrganizationId: string) {
  const db = await getDb();
  const [issuer] = await db.select().from(organizations).where(eq(organizations.id, issuerOrganizationId));
  if (!issuer) return null;
  const programmes = await db
    .select()
    .from(voucherProgrammes)
    .where(eq(voucherProgrammes.issuerOrganizationId, issuerOrganizationId))
    .orderBy(asc(voucherProgrammes.stackingOrder));
  const grants = await db
    .select({
      grant: voucherGrants,
      programmeNameZh: voucherProgrammes.nameZh,
      programmeNameEn: voucherProgrammes.nameEn,
      companyNameZh: organizations.nameZh,
      companyNameEn: organizations.nameEn,
      creditCode: organizations.creditCode,
    })
    .from(voucherGrants)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherGrants.programmeId))
    .innerJoin(organizations, eq(organizations.id, voucherGrants.organizationId))
    .where(eq(voucherProgrammes.issuerOrganizationId, issuerOrganizationId))
    .orderBy(sql`${voucherGrants.status} <> 'applied'`, desc(voucherGrants.createdAt));
  return { issuer, programmes, grants };
}

export async function decideGrant(
  actorUserId: string,
  issuerOrganizationId: string,
  input: z.infer<typeof grantDecisionSchema>,
  now: Date,
): Promise<Outcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ grant: voucherGrants, issuer: voucherProgrammes.issuerOrganizationId })
      .from(voucherGrants)
      .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherGrants.programmeId))
      .where(eq(voucherGrants.id, input.grantId))
      .for("update", { of: voucherGrants });
    if (!row || row.issuer !== issuerOrganizationId) return { ok: false as const, errors: { _form: "vouchers:validation.grant" } };
    if (row.grant.status !== "applied") return { ok: false as const, errors: { _form: "vouchers:validation.alreadyDecided" } };
    const after =
      input.decision === "approve"
        ? { status: "approved" as const, approvedFen: input.approved }
        : { status: "rejected" as const, approvedFen: null };
    await tx
      .update(voucherGrants)
      .set({ ...after, decidedBy: actorUserId, decidedAt: now, decisionNote: input.note })
      .where(eq(voucherGrants.id, input.grantId));
    await recordAudit(tx, {
      actorUserId,
      organizationId: issuerOrganizationId,
      action: `voucher_grant.${input.decision}`,
      entityType: "voucher_grant",
      entityId: input.grantId,
      before: { status: row.grant.status },
      after,
      at: now,
    });
    return { ok: true as const };
  });
}

// ── The split of a charge ─────────────────────────────────────────────────────────────────────

export interface SplitFacts {
  organizationId: string;
  amountFen: number;
  customerClass: CustomerClass;
  categoryCode: string;
  serviceMode: ServiceMode | null;
  serviceDate: string;
}

/**
 * The company's approved grants as split inputs, with the yearly allowance left in the service's
 * year. With `lock`, the grant rows are locked until the transaction ends, so two charges of one
 * company are split one after the other and never overdraw a grant or a yearly cap.
 */
async function splitProgrammes(tx: Tx, organizationId: string, serviceDate: string, lock: boolean) {
  const year = serviceDate.slice(0, 4);
  const query = tx
    .select({
      grantId: voucherGrants.id,
      approvedFen: voucherGrants.approvedFen,
      drawnFen: voucherGrants.drawnFen,
      programme: voucherProgrammes,
      claimedThisYearFen: sql<number>`coalesce((select sum(c.voucher_fen) from voucher_claims c
        where c.grant_id = ${voucherGrants.id} and c.service_date between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date), 0)`.mapWith(Number),
    })
    .from(voucherGrants)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherGrants.programmeId))
    .where(and(eq(voucherGrants.organizationId, organizationId), eq(voucherGrants.status, "approved")))
    .orderBy(asc(voucherGrants.id));
  const rows = lock ? await query.for("update", { of: voucherGrants }) : await query;
  return rows.map((r) => ({
    grantId: r.grantId,
    nameZh: r.programme.nameZh,
    nameEn: r.programme.nameEn,
    input: {
      id: r.programme.id,
      coveragePercent: r.programme.coveragePercent,
      perClaimCapFen: r.programme.perClaimCapFen,
      yearlyRemainingFen: r.programme.yearlyCapFen === null ? null : Math.max(0, r.programme.yearlyCapFen - r.claimedThisYearFen),
      grantRemainingFen: (r.approvedFen ?? 0) - r.drawnFen,
      eligibleCustomerClasses: r.programme.eligibleCustomerClasses,
      eligibleCategoryCodes: r.programme.eligibleCategoryCodes,
      excludedServiceModes: r.programme.excludedServiceModes,
      validFrom: r.programme.validFrom,
      validUntil: r.programme.validUntil,
      stackingOrder: r.programme.stackingOrder,
    } satisfies SplitProgramme,
  }));
}

export type NamedSplit = VoucherSplit & { shares: (VoucherSplit["shares"][number] & { nameZh: string; nameEn: string })[] };

function named(split: VoucherSplit, programmes: Awaited<ReturnType<typeof splitProgrammes>>): NamedSplit {
  const byId = new Map(programmes.map((p) => [p.input.id, p]));
  return {
    ...split,
    shares: split.shares.map((s) => ({ ...s, nameZh: byId.get(s.programmeId)!.nameZh, nameEn: byId.get(s.programmeId)!.nameEn })),
  };
}

/** The expected split, for a quote: reads balances, changes nothing. */
export async function previewVoucherSplit(tx: Tx, facts: SplitFacts): Promise<NamedSplit> {
  const programmes = await splitProgrammes(tx, facts.organizationId, facts.serviceDate, false);
  return named(splitCharge({ ...facts, programmes: programmes.map((p) => p.input) }), programmes);
}

/** What a charge must carry for its split. */
export interface ChargeForSplit {
  id: string;
  /** Charges not made for a booking get no voucher share. */
  bookingId: string | null;
  customerOrganizationId: string;
  providerOrganizationId: string;
  customerClass: CustomerClass;
  amountFen: number;
}

/**
 * Splits a new charge between the company's vouchers and the company, inside the charge's
 * transaction: draws each grant down, writes one claim per programme, and returns the shares for
 * the ledger (a voucher receivable per programme; the company owes the rest).
 */
export async function voucherSplitFor(tx: Tx, charge: ChargeForSplit): Promise<NamedSplit> {
  if (!charge.bookingId) return { shares: [], skipped: [], voucherFen: 0, companyFen: charge.amountFen };
  const bookingId = charge.bookingId;
  const [booking] = await tx
    .select({
      categoryCode: instruments.categoryCode,
      serviceMode: bookings.serviceMode,
      serviceDate: sql<string>`to_char(coalesce(lower(${bookings.period}), ${bookings.createdAt}) at time zone ${labs.timeZone}, 'YYYY-MM-DD')`,
    })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(bookings.id, bookingId));
  if (!booking) throw new Error(`booking ${bookingId} of charge ${charge.id} not found`);
  const programmes = await splitProgrammes(tx, charge.customerOrganizationId, booking.serviceDate, true);
  const split = named(
    splitCharge({
      amountFen: charge.amountFen,
      customerClass: charge.customerClass,
      categoryCode: booking.categoryCode,
      serviceMode: booking.serviceMode,
      serviceDate: booking.serviceDate,
      programmes: programmes.map((p) => p.input),
    }),
    programmes,
  );
  if (split.shares.length === 0) return split;
  const grantOf = new Map(programmes.map((p) => [p.input.id, p.grantId]));
  for (const share of split.shares) {
    // The check constraint refuses an overdraw even if a caller forgot the lock.
    await tx
      .update(voucherGrants)
      .set({ drawnFen: sql`${voucherGrants.drawnFen} + ${share.fen}` })
      .where(eq(voucherGrants.id, grantOf.get(share.programmeId)!));
  }
  await tx.insert(voucherClaims).values(
    split.shares.map((share) => ({
      programmeId: share.programmeId,
      grantId: grantOf.get(share.programmeId)!,
      chargeId: charge.id,
      bookingId,
      organizationId: charge.customerOrganizationId,
      providerOrganizationId: charge.providerOrganizationId,
      serviceDate: booking.serviceDate,
      chargeTotalFen: charge.amountFen,
      voucherFen: share.fen,
      companyFen: split.companyFen,
    })),
  );
  return split;
}

// ── Claims (the issuer's reimbursement paperwork) ─────────────────────────────────────────────

export interface ClaimsFilter {
  programmeId: string;
  from: string;
  until: string;
  status: "all" | "claimed" | "reimbursed";
}

export async function claimsReport(issuerOrganizationId: string, filter: ClaimsFilter) {
  const db = await getDb();
  const company = sql.raw("company");
  const provider = sql.raw("provider");
  const conditions = [eq(voucherClaims.programmeId, filter.programmeId), eq(voucherProgrammes.issuerOrganizationId, issuerOrganizationId)];
  if (filter.from) conditions.push(gte(voucherClaims.serviceDate, filter.from));
  if (filter.until) conditions.push(lte(voucherClaims.serviceDate, filter.until));
  if (filter.status !== "all") conditions.push(eq(voucherClaims.status, filter.status));
  return db
    .select({
      id: voucherClaims.id,
      companyNameZh: sql<string>`${company}.name_zh`,
      companyNameEn: sql<string>`${company}.name_en`,
      creditCode: sql<string | null>`${company}.credit_code`,
      providerNameZh: sql<string>`${provider}.name_zh`,
      providerNameEn: sql<string>`${provider}.name_en`,
      instrumentNameZh: instruments.nameZh,
      instrumentNameEn: instruments.nameEn,
      serviceMode: bookings.serviceMode,
      bookingKind: bookings.kind,
      bookingReference: bookings.reference,
      serviceDate: voucherClaims.serviceDate,
      claimedAt: voucherClaims.createdAt,
      chargeTotalFen: voucherClaims.chargeTotalFen,
      voucherFen: voucherClaims.voucherFen,
      companyFen: voucherClaims.companyFen,
      status: voucherClaims.status,
      reimbursedAt: voucherClaims.reimbursedAt,
      reimbursementReference: voucherClaims.reimbursementReference,
    })
    .from(voucherClaims)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherClaims.programmeId))
    .innerJoin(bookings, eq(bookings.id, voucherClaims.bookingId))
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(sql`organizations company`, sql`company.id = ${voucherClaims.organizationId}`)
    .innerJoin(sql`organizations provider`, sql`provider.id = ${voucherClaims.providerOrganizationId}`)
    .where(and(...conditions))
    .orderBy(asc(voucherClaims.serviceDate), asc(bookings.reference));
}
export type ClaimRow = Awaited<ReturnType<typeof claimsReport>>[number];

/** The claims chosen on the issuer's page, reimbursed under one bank reference. */
export async function markClaimsReimbursed(
  actorUserId: string,
  issuerOrganizationId: string,
  input: { claimIds: string[]; reference: string },
  now: Date,
): Promise<Outcome<{ count: number; totalFen: number }>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ claim: voucherClaims, issuer: voucherProgrammes.issuerOrganizationId })
      .from(voucherClaims)
      .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherClaims.programmeId))
      .where(inArray(voucherClaims.id, input.claimIds))
      .for("update", { of: voucherClaims });
    if (rows.length !== new Set(input.claimIds).size || rows.some((r) => r.issuer !== issuerOrganizationId)) {
      return { ok: false as const, errors: { _form: "vouchers:validation.claims" } };
    }
    if (rows.some((r) => r.claim.status !== "claimed")) return { ok: false as const, errors: { _form: "vouchers:validation.alreadyReimbursed" } };
    await tx
      .update(voucherClaims)
      .set({ status: "reimbursed", reimbursedAt: now, reimbursedBy: actorUserId, reimbursementReference: input.reference })
      .where(inArray(voucherClaims.id, input.claimIds));
    const totalFen = rows.reduce((s, r) => s + r.claim.voucherFen, 0);
    await recordReimbursement(tx, rows.map((r) => r.claim), input.reference, now);
    await recordAudit(tx, {
      actorUserId,
      organizationId: issuerOrganizationId,
      action: "voucher_claim.reimburse",
      entityType: "voucher_claim",
      entityId: input.claimIds.join(","),
      after: { reference: input.reference, totalFen },
      at: now,
    });
    return { ok: true as const, count: rows.length, totalFen };
  });
}

/** The account a programme's share of charges is owed on, until its issuer pays. */
export const voucherReceivable = (programmeId: string): LedgerAccountRef => ({ kind: "voucher_receivable", programmeId });

/** The issuer's payment arrives in the platform's bank account and clears each programme's receivable. */
async function recordReimbursement(tx: Tx, claims: (typeof voucherClaims.$inferSelect)[], reference: string, now: Date) {
  const byProgramme = new Map<string, number>();
  for (const c of claims) byProgramme.set(c.programmeId, (byProgramme.get(c.programmeId) ?? 0) + c.voucherFen);
  const totalFen = claims.reduce((s, c) => s + c.voucherFen, 0);
  await postLedgerTransaction(tx, {
    kind: "voucher.reimbursement",
    memo: reference,
    at: now,
    entries: [
      { account: { kind: "bank" }, amountFen: totalFen },
      ...[...byProgramme].map(([programmeId, fen]) => ({ account: voucherReceivable(programmeId), amountFen: -fen })),
    ],
  });
}
