import { count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { charges, voucherClaims, voucherGrants, voucherProgrammes } from "../../db/schema";
import { accountBalance } from "../../app/billing/ledger.server";
import { claimsExport } from "../../app/billing/voucher-claims.server";
import {
  applyForGrant,
  claimsReport,
  createProgramme,
  decideGrant,
  markClaimsReimbursed,
  voucherReceivable,
} from "../../app/billing/vouchers.server";
import type { ProgrammeInput } from "../../app/billing/vouchers";
import type { Database } from "../../app/lib/db.server";
import { unbalancedTransactions } from "../support/billing";
import { at, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { completedBooking, newCompany, organizationIdOf } from "../support/vouchers";

let d: Database;
let staffId: string;
let issuerAdminId: string;
let zjkjt: string;
let hzkjj: string;

beforeAll(async () => {
  d = await useTestDatabase();
  [staffId, issuerAdminId] = await newUsers(d, 2);
  zjkjt = await organizationIdOf(d, "zjkjt");
  hzkjj = await organizationIdOf(d, "hzkjj");
});

const programmeInput = (over: Partial<ProgrammeInput> = {}): ProgrammeInput => ({
  issuerOrganizationId: zjkjt,
  nameZh: "测试省级创新券",
  nameEn: "Test provincial voucher",
  coveragePercent: 60,
  perClaimCap: null,
  yearlyCap: null,
  eligibleCustomerClasses: ["sme"],
  eligibleCategoryCodes: [],
  excludedServiceModes: [],
  validFrom: "2026-01-01",
  validUntil: "2026-12-31",
  stackingOrder: 1,
  ...over,
});

async function programme(over: Partial<ProgrammeInput> = {}) {
  const created = await createProgramme(issuerAdminId, programmeInput(over));
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.id;
}

/** A company's grant under the programme, approved by the issuer with `approvedFen`. */
async function grant(company: { organizationId: string; userId: string }, programmeId: string, approvedFen: number, issuer = zjkjt) {
  const applied = await applyForGrant(company.userId, company.organizationId, { programmeId, requested: approvedFen, purpose: "研发测试" }, "2026-02-01");
  if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
  const decided = await decideGrant(issuerAdminId, issuer, { decision: "approve", grantId: applied.id, approved: approvedFen, note: "" }, at("2026-02-02 10:00"));
  if (!decided.ok) throw new Error(JSON.stringify(decided.errors));
  return applied.id;
}

const grantRow = async (id: string) => (await d.db.select().from(voucherGrants).where(eq(voucherGrants.id, id)))[0]!;

describe("grants", () => {
  it("refuses a company the programme does not cover, and an expired programme, changing nothing", async () => {
    const large = await newCompany(d, { sme: false });
    const smeOnly = await programme();
    const refused = await applyForGrant(large.userId, large.organizationId, { programmeId: smeOnly, requested: 100_00, purpose: "x" }, "2026-02-01");
    expect(refused).toEqual({ ok: false, errors: { programmeId: "vouchers:validation.companyNotEligible" } });

    const sme = await newCompany(d);
    const closed = await applyForGrant(sme.userId, sme.organizationId, { programmeId: smeOnly, requested: 100_00, purpose: "x" }, "2027-01-01");
    expect(closed).toEqual({ ok: false, errors: { programmeId: "vouchers:validation.programmeClosed" } });
    const [{ n }] = await d.db.select({ n: count() }).from(voucherGrants).where(inArray(voucherGrants.organizationId, [large.organizationId, sme.organizationId]));
    expect(n).toBe(0);
  });

  it("takes one live application per programme; only the programme's issuer decides it, once", async () => {
    const sme = await newCompany(d);
    const id = await programme();
    const first = await applyForGrant(sme.userId, sme.organizationId, { programmeId: id, requested: 5_000_00, purpose: "x" }, "2026-02-01");
    expect(first.ok).toBe(true);
    const again = await applyForGrant(sme.userId, sme.organizationId, { programmeId: id, requested: 5_000_00, purpose: "x" }, "2026-02-01");
    expect(again).toEqual({ ok: false, errors: { programmeId: "vouchers:validation.alreadyApplied" } });
    const grantId = (first as { id: string }).id;
    const otherIssuer = await decideGrant(issuerAdminId, hzkjj, { decision: "approve", grantId, approved: 1_00, note: "" }, new Date());
    expect(otherIssuer).toEqual({ ok: false, errors: { _form: "vouchers:validation.grant" } });
    expect((await grantRow(grantId)).status).toBe("applied");
    expect((await decideGrant(issuerAdminId, zjkjt, { decision: "reject", grantId, note: "材料不全" }, new Date())).ok).toBe(true);
    expect(await decideGrant(issuerAdminId, zjkjt, { decision: "approve", grantId, approved: 1_00, note: "" }, new Date())).toEqual({
      ok: false,
      errors: { _form: "vouchers:validation.alreadyDecided" },
    });
    // A rejected application may be followed by a new one.
    expect((await applyForGrant(sme.userId, sme.organizationId, { programmeId: id, requested: 3_000_00, purpose: "补充材料" }, "2026-02-01")).ok).toBe(true);
  });

  it("refuses a programme whose issuer is not a government body", async () => {
    const zju = await organizationIdOf(d, "zju");
    expect(await createProgramme(issuerAdminId, programmeInput({ issuerOrganizationId: zju }))).toEqual({
      ok: false,
      errors: { issuerOrganizationId: "vouchers:validation.issuer" },
    });
  });
});

describe("the split of a charge", () => {
  it("stacks a provincial 60 % and a city 30 % programme with their caps; the company owes the rest", async () => {
    const sme = await newCompany(d);
    const province = await programme({ perClaimCap: 20_000_00 });
    const city = await programme({ issuerOrganizationId: hzkjj, nameZh: "测试市级创新券", coveragePercent: 30, stackingOrder: 2 });
    const provinceGrant = await grant(sme, province, 100_000_00);
    const cityGrant = await grant(sme, city, 100_00, hzkjj);
    // 2 h × 300 元 = 600 元 = 60 000 fen: province 60 % = 36 000 (cap 2 000 000), city 30 % = 18 000 but only 10 000 left.
    const booking = await completedBooking(d, sme, staffId);
    const charge = await booking.complete();
    expect(charge.amountFen).toBe(60_000);
    expect(charge.voucherFen).toBe(36_000 + 10_000);
    const claims = await d.db.select().from(voucherClaims).where(eq(voucherClaims.chargeId, charge.id));
    expect(claims.map((c) => [c.programmeId, c.voucherFen, c.companyFen]).sort()).toEqual(
      [
        [province, 36_000, 14_000],
        [city, 10_000, 14_000],
      ].sort(),
    );
    expect((await grantRow(provinceGrant)).drawnFen).toBe(36_000);
    expect((await grantRow(cityGrant)).drawnFen).toBe(10_000);
    expect(await accountBalance(d.db, voucherReceivable(province))).toBe(36_000);
    expect(await accountBalance(d.db, voucherReceivable(city))).toBe(10_000);
    expect(await unbalancedTransactions(d)).toBe(0);
  });

  it("respects the per-claim and yearly caps and ignores an expired programme", async () => {
    const sme = await newCompany(d);
    const capped = await programme({ perClaimCap: 100_00, yearlyCap: 150_00 });
    const expired = await programme({ validUntil: "2026-02-28", stackingOrder: 2 });
    await grant(sme, capped, 10_000_00);
    await grant(sme, expired, 10_000_00);
    const first = await (await completedBooking(d, sme, staffId)).complete();
    expect(first.voucherFen).toBe(100_00);
    const second = await (await completedBooking(d, sme, staffId, { start: "2026-03-04 09:00", end: "2026-03-04 10:00" })).complete();
    // The yearly cap leaves 50 元 for the second claim.
    expect(second.voucherFen).toBe(50_00);
    const claimed = await d.db.select().from(voucherClaims).where(eq(voucherClaims.programmeId, expired));
    expect(claimed).toHaveLength(0);
  });

  it("never overdraws a grant when charges of one company are made at the same time", async () => {
    const sme = await newCompany(d);
    const id = await programme({ coveragePercent: 100 });
    const grantId = await grant(sme, id, 700_00);
    // Five bookings of 1 h (300 元) each, on five instruments, would draw 1 500 元 from a 700 元 grant.
    const bookings = [];
    for (let i = 0; i < 5; i++) bookings.push(await completedBooking(d, sme, staffId, { start: "2026-03-05 09:00", end: "2026-03-05 10:00" }));
    const made = await Promise.all(bookings.map((b) => b.complete()));
    const total = made.reduce((s, c) => s + c.voucherFen, 0);
    expect(total).toBe(700_00);
    expect((await grantRow(grantId)).drawnFen).toBe(700_00);
    const claims = await d.db.select().from(voucherClaims).where(eq(voucherClaims.grantId, grantId));
    expect(claims.reduce((s, c) => s + c.voucherFen, 0)).toBe(700_00);
    expect(await unbalancedTransactions(d)).toBe(0);
  });
});

describe("claims and reimbursement", () => {
  it("lists claims per programme and period, exports them, and records the issuer's payment once", async () => {
    const sme = await newCompany(d);
    const id = await programme();
    await grant(sme, id, 10_000_00);
    const charge = await (await completedBooking(d, sme, staffId)).complete();
    const rows = await claimsReport(zjkjt, { programmeId: id, from: "2026-03-01", until: "2026-03-31", status: "all" });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ chargeTotalFen: 60_000, voucherFen: 36_000, companyFen: 24_000, serviceDate: "2026-03-03", status: "claimed" });
    expect(rows[0]!.creditCode).toMatch(/^91/);
    expect(await claimsReport(zjkjt, { programmeId: id, from: "2026-04-01", until: "", status: "all" })).toHaveLength(0);
    expect(await claimsReport(hzkjj, { programmeId: id, from: "", until: "", status: "all" })).toHaveLength(0);

    const t = ((key: string) => key) as never;
    const csv = await claimsExport(zjkjt, { id, nameZh: "x", nameEn: "x" }, { from: "", until: "", status: "all" }, "csv", t, "zh-CN");
    const text = await new Response(csv.body).text();
    expect(text).toContain(rows[0]!.bookingReference);
    expect(text).toContain("360.00");

    const otherIssuer = await markClaimsReimbursed(issuerAdminId, hzkjj, { claimIds: [rows[0]!.id], reference: "HZ-1" }, new Date());
    expect(otherIssuer).toEqual({ ok: false, errors: { _form: "vouchers:validation.claims" } });
    const done = await markClaimsReimbursed(issuerAdminId, zjkjt, { claimIds: [rows[0]!.id], reference: "ZJ-2026-001" }, new Date());
    expect(done).toEqual({ ok: true, count: 1, totalFen: 36_000 });
    expect(await accountBalance(d.db, voucherReceivable(id))).toBe(0);
    expect(await markClaimsReimbursed(issuerAdminId, zjkjt, { claimIds: [rows[0]!.id], reference: "ZJ-2026-002" }, new Date())).toEqual({
      ok: false,
      errors: { _form: "vouchers:validation.alreadyReimbursed" },
    });
    expect(await accountBalance(d.db, voucherReceivable(id))).toBe(0);
    const [after] = await d.db.select().from(charges).where(eq(charges.id, charge.id));
    expect(after!.voucherFen).toBe(36_000);
    expect(await unbalancedTransactions(d)).toBe(0);
    const [p] = await d.db.select().from(voucherProgrammes).where(eq(voucherProgrammes.id, id));
    expect(p!.issuerOrganizationId).toBe(zjkjt);
  });
});
