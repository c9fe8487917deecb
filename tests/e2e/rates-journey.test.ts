import { afterAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, screenshot, waitForHydration } from "../support/browser";
import { openRandomSlot } from "../support/booking-steps";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
const SLUG = "jem-2100f-zju-emlab";

describe.skipIf(!hasBrowser)("rates and quotes in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("lab staff set a rate, the fee page shows it, a customer sees the quote and the booking keeps it", async () => {
    // Lab staff: from the lab's instruments to the instrument's rates editor.
    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/manage`);
    await staff.locator("a[href^='/manage/labs/']").first().click();
    await staff.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await staff.locator("tr", { hasText: "JEM-2100F" }).locator("a[href^='/manage/instruments/']").first().click();
    await staff.waitForURL(/\/manage\/instruments\/[0-9a-f-]{36}$/);
    await staff.getByRole("link", { name: "收费标准", exact: true }).click();
    await staff.waitForURL(/\/rates$/);
    await waitForHydration(staff);

    // A price no other run has used, so the pages below show this run's rate.
    const first = 600 + Math.floor(Math.random() * 300);
    const sme = staff.locator("form.rate-form", { has: staff.getByRole("heading", { name: "中小企业", exact: true }) });
    await sme.getByLabel("计费单位").selectOption("hour");
    await sme.getByLabel("第 1 档单价（元）").fill(String(first));
    await sme.getByLabel("第 1 档适用到（单位数，累计）").fill("1");
    await sme.getByLabel("第 2 档单价（元）").fill("450.50");
    await sme.getByLabel("第 2 档适用到（单位数，累计）").fill("");
    await sme.getByLabel("第 3 档单价（元）").fill("");
    await sme.getByLabel("第 3 档适用到（单位数，累计）").fill("");
    await sme.getByLabel("开机/准备费（元）").fill("120");
    await sme.getByLabel("计时取整").selectOption("30");

    // Tiers out of order are refused at the field.
    await sme.getByLabel("第 1 档适用到（单位数，累计）").fill("3");
    await sme.getByLabel("第 2 档单价（元）").fill("500");
    await sme.getByLabel("第 2 档适用到（单位数，累计）").fill("2");
    await sme.getByLabel("第 3 档单价（元）").fill("450.50");
    await sme.getByRole("button", { name: "保存 中小企业 收费标准" }).click();
    await expect.poll(() => staff.locator(".field-error").allTextContents()).toContain("各档的适用上限须逐档递增。");
    await screenshot(staff, "rates-editor-error");

    const fixed = staff.locator("form.rate-form", { has: staff.getByRole("heading", { name: "中小企业", exact: true }) });
    await fixed.getByLabel("第 1 档单价（元）").fill(String(first));
    await fixed.getByLabel("第 1 档适用到（单位数，累计）").fill("1");
    await fixed.getByLabel("第 2 档单价（元）").fill("450.50");
    await fixed.getByLabel("第 2 档适用到（单位数，累计）").fill("");
    await fixed.getByLabel("第 3 档单价（元）").fill("");
    await fixed.getByLabel("开机/准备费（元）").fill("120");
    await fixed.getByRole("button", { name: "保存 中小企业 收费标准" }).click();
    await expect.poll(() => staff.locator(".notice").allTextContents()).toContain("收费标准已保存。");
    await screenshot(staff, "rates-editor");
    await checkA11y(staff, "rates editor");

    // The public fee page, reached from the instrument page.
    await staff.goto(`${baseUrl}/instruments/${SLUG}`);
    await staff.getByRole("link", { name: "查看收费标准" }).click();
    await staff.waitForURL(new RegExp(`/instruments/${SLUG}/fees$`));
    const smeRow = staff.locator("tr", { has: staff.getByRole("rowheader", { name: "中小企业" }) });
    await expect.poll(() => smeRow.textContent()).toContain(`前 1 小时：¥${first}.00/小时`);
    expect(await smeRow.textContent()).toContain("其后：¥450.50/小时");
    await screenshot(staff, "rates-fee-page");
    await checkA11y(staff, "instrument fee page");

    // The SME customer picks a slot a few weeks ahead and sees the quote before requesting.
    const customer = await pageFor(demoLogins.customer);
    await openRandomSlot(customer, baseUrl, SLUG, 3);
    const quote = customer.locator("section.quote");
    await expect.poll(() => quote.textContent()).toContain(`¥${first}.00/小时`);
    expect(await quote.textContent()).toContain("开机/准备费");
    // The demo SME holds provincial and city vouchers: the expected split is shown.
    expect(await quote.textContent()).toContain("贵单位预计支付");
    const total = await quote.locator(".quote-total").first().locator("td").textContent();
    await screenshot(customer, "rates-booking-quote");
    await checkA11y(customer, "booking form with quote");

    await customer.getByLabel("使用目的").fill("TEM 高分辨成像：报价测试");
    await Promise.all([customer.waitForURL(/\/bookings\/[0-9a-f-]{36}$/), customer.getByRole("button", { name: "提交预约申请" }).click()]);
    const frozen = customer.locator("section.quote");
    await expect.poll(() => frozen.textContent()).toContain("提交预约时按 中小企业 收费标准冻结的报价");
    expect(await frozen.locator(".quote-total").first().locator("td").textContent()).toBe(total);
    expect(await frozen.locator(".quote-line-base").count()).toBe(1);
    expect(await frozen.locator(".quote-line-setup").count()).toBe(1);
    await screenshot(customer, "rates-booking-frozen-quote");
    await checkA11y(customer, "booking page with quote");
    expect(errors).toEqual([]);
  });

  it("a lab's fee page lists its instruments with their rates", async () => {
    const visitor = await pageFor(demoLogins.customer);
    await visitor.goto(`${baseUrl}/labs/zju-emlab`);
    await visitor.getByRole("link", { name: "本实验室收费标准" }).click();
    await visitor.waitForURL(/\/labs\/zju-emlab\/fees$/);
    await expect.poll(() => visitor.locator("table.fee-table").count()).toBeGreaterThan(1);
    await screenshot(visitor, "rates-lab-fee-page");
    await checkA11y(visitor, "lab fee page");
    expect(errors).toEqual([]);
  });
});
