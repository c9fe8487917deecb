// Demo innovation vouchers: the provincial programme of 浙江省科学技术厅 and a city programme that
// stacks on it (杭州市科学技术局), both granted to the demo SME (杭州微纳); 浙江大学's Stripe account
// and the bank account its customers transfer to.
import { eq, inArray } from "drizzle-orm";
import type { Tx } from "../../app/lib/db.server";
import { organizations, providerBankAccounts, users, voucherGrants, voucherProgrammes } from "../schema";

export const DEMO_ISSUER_ADMIN = "voucher-admin@zjkjt.openlab.test";

/** The demo connected account of 浙江大学, so Stripe destination charges have somewhere to go. */
export const DEMO_ZJU_STRIPE_ACCOUNT = "acct_1OpenLabZjuDemo0";

export async function seedDemoVouchers(tx: Tx, now: Date): Promise<void> {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(now);
  const year = Number(today.slice(0, 4));
  const orgs = await tx
    .select({ id: organizations.id, slug: organizations.slug })
    .from(organizations)
    .where(inArray(organizations.slug, ["zjkjt", "hzkjj", "weina", "zju"]));
  const id = (slug: string) => orgs.find((o) => o.slug === slug)!.id;
  await tx.update(organizations).set({ stripeAccountId: DEMO_ZJU_STRIPE_ACCOUNT }).where(eq(organizations.id, id("zju")));
  await tx.insert(providerBankAccounts).values({ organizationId: id("zju"), accountName: "浙江大学", bankName: "中国工商银行杭州玉泉支行", accountNumber: "1202 0219 0900 0012 345", updatedAt: now });
  const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ISSUER_ADMIN));

  // The programmes open on the day the demo starts, so only services from then on are covered.
  const validity = { validFrom: today, validUntil: `${year + 1}-12-31` };
  const [province, municipal] = await tx
    .insert(voucherProgrammes)
    .values([
      {
        issuerOrganizationId: id("zjkjt"),
        nameZh: "浙江省科技创新券",
        nameEn: "Zhejiang Innovation Voucher",
        coveragePercent: 60,
        perClaimCapFen: 20_000_00,
        yearlyCapFen: 100_000_00,
        eligibleCustomerClasses: ["sme"],
        ...validity,
        stackingOrder: 1,
        createdAt: now,
        updatedAt: now,
      },
      {
        issuerOrganizationId: id("hzkjj"),
        nameZh: "杭州市科技创新券",
        nameEn: "Hangzhou Innovation Voucher",
        coveragePercent: 30,
        perClaimCapFen: 10_000_00,
        yearlyCapFen: 50_000_00,
        eligibleCustomerClasses: ["sme"],
        excludedServiceModes: ["remote"],
        ...validity,
        stackingOrder: 2,
        createdAt: now,
        updatedAt: now,
      },
    ])
    .returning({ id: voucherProgrammes.id });
  await tx.insert(voucherGrants).values([
    {
      programmeId: province!.id,
      organizationId: id("weina"),
      status: "approved",
      requestedFen: 100_000_00,
      approvedFen: 100_000_00,
      purpose: "MEMS 传感器薄膜表征（SEM、XRD）",
      decidedBy: admin!.id,
      decidedAt: now,
      createdAt: now,
    },
    {
      programmeId: municipal!.id,
      organizationId: id("weina"),
      status: "approved",
      requestedFen: 50_000_00,
      approvedFen: 50_000_00,
      purpose: "MEMS 传感器薄膜表征",
      decidedAt: now,
      createdAt: now,
    },
  ]);
}
