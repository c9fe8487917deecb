import { afterAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, screenshot, waitForHydration } from "../support/browser";
import { completeBooking, fromAccountMenu, requestRandomSlot } from "../support/booking-steps";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
const SLUG = "jem-2100f-zju-emlab";
const ISSUER = "voucher-admin@zjkjt.openlab.test";

const yuan = (text: string | null) => Number((text ?? "").replace(/[^0-9.]/g, ""));

describe.skipIf(!hasBrowser)("an SME with innovation vouchers pays its share by bank transfer in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("books, completes, sees the split, transfers, finance records it, both statements and the claims report show it", async () => {
    // The SME customer (杭州微纳, holding provincial and city vouchers) books; the lab completes it.
    const customer = await pageFor(demoLogins.customer);
    const booking = await requestRandomSlot(customer, baseUrl, SLUG, "TEM 表征：创新券结算测试");
    const { reference } = booking;
    await completeBooking(await pageFor(demoLogins.lab_staff), baseUrl, booking, 60);

    // The institution's finance keeps the receiving account customers transfer to.
    const finance = await pageFor(demoLogins.institution_admin);
    await fromAccountMenu(finance, "财务结算");
    await finance.waitForURL(/\/manage\/institutions\/[0-9a-f-]{36}\/finance$/);
    const financePath = new URL(finance.url()).pathname;
    await waitForHydration(finance);
    const bankForm = finance.getByRole("form", { name: "收款账户" });
    await bankForm.getByLabel("账号").fill("12ab");
    await bankForm.getByRole("button", { name: "保存收款账户" }).click();
    await expect.poll(() => finance.getByRole("form", { name: "收款账户" }).locator(".field-error").allTextContents()).toContain("请填写账号：8–40 位数字（可含空格或连字符）。");
    const account = `1202 0219 0900 ${String(1000 + Math.floor(Math.random() * 9000))}`;
    await finance.getByRole("form", { name: "收款账户" }).getByLabel("账号").fill(account);
    await finance.getByRole("form", { name: "收款账户" }).getByRole("button", { name: "保存收款账户" }).click();
    await expect.poll(() => finance.locator(".notice").allTextContents()).toContain("收款账户已保存。");

    // The customer finds the charge under 费用与付款 and sees the split and how to transfer.
    await customer.goto(`${baseUrl}/bookings`);
    await fromAccountMenu(customer, "费用与付款");
    await customer.waitForURL(/\/charges$/);
    const row = customer.locator("tr", { hasText: reference });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator(".listing-status").textContent()).toBe("待付款");
    await screenshot(customer, "payments-customer-charges");
    await checkA11y(customer, "customer charges");
    await row.getByRole("link").first().click();
    await customer.waitForURL(/\/charges\/[0-9a-f-]{36}$/);
    const chargePath = new URL(customer.url()).pathname;
    await expect.poll(() => customer.getByRole("heading", { level: 1 }).textContent()).toMatch(/CH-\d{4}-\d+/);
    const chargeReference = (await customer.getByRole("heading", { level: 1 }).textContent())!.match(/CH-\d{4}-\d+/)![0];
    const cell = (label: string) => customer.locator("tfoot tr", { has: customer.getByRole("rowheader", { name: label, exact: true }) }).locator("td");
    const total = yuan(await cell("金额").textContent());
    const voucher = yuan(await cell("创新券支付").textContent());
    const share = yuan(await cell("企业应付").textContent());
    expect(total).toBeGreaterThan(0);
    expect(voucher).toBeGreaterThan(0);
    expect(Math.round((total - voucher) * 100)).toBe(Math.round(share * 100));
    const transfer = customer.locator(".form-card", { has: customer.getByRole("heading", { name: "对公转账" }) });
    expect(await transfer.textContent()).toContain(account);
    expect(await transfer.locator("dd strong").textContent()).toBe(chargeReference);
    await screenshot(customer, "payments-charge-split");
    await checkA11y(customer, "charge with voucher split");

    // Finance records the transfer of the company's share against the charge.
    await finance.goto(`${baseUrl}${financePath}`);
    await waitForHydration(finance);
    const card = finance.locator("article.finance-charge", { has: finance.getByRole("heading", { name: new RegExp(chargeReference) }) });
    await card.locator("summary", { hasText: "登记到账" }).click();
    expect(yuan(await card.getByLabel("金额（元）").inputValue())).toBe(share);
    const bankReference = `ICBC${Date.now()}`;
    await card.getByLabel("银行流水号").fill(bankReference);
    await screenshot(finance, "payments-finance-record-transfer");
    await card.getByRole("button", { name: "登记到账" }).click();
    await expect.poll(() => finance.locator(".notice").allTextContents()).toContain("已登记到账。");
    const paidCard = finance.locator("article.finance-charge", { has: finance.getByRole("heading", { name: new RegExp(chargeReference) }) });
    await expect.poll(() => paidCard.textContent()).toContain(bankReference);
    expect(await paidCard.getByRole("heading").textContent()).toContain("已付清");
    await checkA11y(finance, "institution finance");

    // The customer's charge is paid, and the month's statement lists the charge and the payment.
    await customer.goto(`${baseUrl}${chargePath}`);
    await expect.poll(() => customer.getByRole("heading", { level: 1 }).textContent()).toContain("已付清");
    expect(await customer.locator("main").textContent()).toContain(bankReference);
    await customer.goto(`${baseUrl}/charges`);
    await customer.getByRole("link", { name: "月度对账单" }).click();
    await customer.waitForURL(/\/charges\/statement/);
    const customerLines = customer.locator("tbody tr", { hasText: chargeReference });
    await expect.poll(() => customerLines.allTextContents()).toEqual([expect.stringContaining("费用"), expect.stringContaining("付款")]);
    expect(await customerLines.nth(1).textContent()).toContain(bankReference);
    await screenshot(customer, "payments-customer-statement");
    await checkA11y(customer, "customer statement");

    // So does the provider institution's statement.
    await finance.getByRole("link", { name: "月度对账单" }).click();
    await finance.waitForURL(/\/statement/);
    const providerLines = finance.locator("tbody tr", { hasText: chargeReference });
    await expect.poll(() => providerLines.count()).toBe(2);
    expect(await providerLines.nth(1).textContent()).toContain(bankReference);
    await screenshot(finance, "payments-provider-statement");
    await checkA11y(finance, "provider statement");

    // The issuer's claims report lists the booking with the voucher's share.
    const issuer = await pageFor(ISSUER);
    await issuer.goto(`${baseUrl}/vouchers`);
    await issuer.waitForURL(/\/issuer\/[0-9a-f-]{36}$/);
    await issuer.locator("li, tr", { hasText: "浙江省科技创新券" }).getByRole("link", { name: "申领明细" }).first().click();
    await issuer.waitForURL(/\/claims\/[0-9a-f-]{36}/);
    const claim = issuer.locator("tbody tr", { hasText: reference });
    await expect.poll(() => claim.count()).toBe(1);
    expect(await claim.textContent()).toContain("杭州微纳");
    await screenshot(issuer, "payments-issuer-claims");
    await checkA11y(issuer, "issuer claims report");
    const [download] = await Promise.all([issuer.waitForEvent("download"), issuer.getByRole("link", { name: "导出 CSV" }).click()]);
    const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString("utf8");
    expect(csv).toContain(reference);
    expect(errors).toEqual([]);
  });
});
