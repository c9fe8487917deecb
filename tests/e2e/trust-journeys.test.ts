import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, screenshot, waitForHydration } from "../support/browser";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
/** A demo customer no other journey books with, so blocking them disturbs nobody. */
const CUSTOMER = "customer@huadong.openlab.test";

/** A weekday slot of the demo lab's opening hours (Shanghai), `days` ahead of today. */
function candidate(days: number, hour: number) {
  const day = new Date(Date.now() + days * 86_400_000);
  const ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(day);
  const hh = String(hour).padStart(2, "0");
  return { start: `${ymd}T${hh}:00:00+08:00`, end: `${ymd}T${hh}:30:00+08:00` };
}

/** The customer's booking request over HTTP; the answer's status and where it redirects. */
async function request(page: Page, slug: string, slot: { start: string; end: string }) {
  await page.goto(`${baseUrl}/instruments/${slug}`);
  const csrf = await page.locator("input[name='_csrf']").first().inputValue();
  const response = await page.request.post(`${baseUrl}/instruments/${slug}/book`, { form: { _csrf: csrf, ...slot, purpose: "信用档案测试" }, maxRedirects: 0 });
  const location = response.headers()["location"] ?? "";
  // A refusal's form error, to say why when a test expected a booking.
  const error = location ? "" : ((await response.text()).match(/class="form-error"[^>]*>([^<]*)/)?.[1] ?? "");
  return { status: response.status(), location, error };
}

describe.skipIf(!hasBrowser)("trust and governance journeys in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("an institution admin finds a change of an instrument's fee in the audit log", async () => {
    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/manage`);
    await staff.locator("a[href^='/manage/labs/']").first().click();
    await staff.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await staff.locator("a[href^='/manage/instruments/']").first().click();
    await staff.waitForURL(/\/manage\/instruments\/[0-9a-f-]{36}$/);
    await waitForHydration(staff);
    const fee = `校外 ${700 + Math.floor(Math.random() * 200)} 元/小时（审计测试）`;
    await staff.locator('[name="feeText"]').fill(fee);
    await Promise.all([staff.waitForURL(/\/manage\/instruments\/[0-9a-f-]{36}$/), staff.getByRole("button", { name: "保存修改" }).click()]);
    await expect.poll(() => staff.locator(".notice").count()).toBeGreaterThan(0);

    const admin = await pageFor(demoLogins.institution_admin);
    await admin.goto(`${baseUrl}/account`);
    // The account page also links the institution's finance pages: take the institution itself.
    const href = await admin.locator("a[href^='/manage/institutions/']").first().getAttribute("href");
    await admin.goto(`${baseUrl}/manage/institutions/${href!.split("/")[3]}`);
    await admin.getByRole("link", { name: "审计日志", exact: true }).click();
    await admin.waitForURL(/\/audit$/);
    await waitForHydration(admin);
    await admin.getByLabel("操作", { exact: true }).selectOption("instrument.update");
    await admin.getByLabel("操作人").fill("staff@zju");
    await Promise.all([admin.waitForURL(/action=instrument\.update/), admin.getByRole("button", { name: "筛选" }).click()]);
    const row = admin.locator("tbody tr").filter({ hasText: fee });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator("ins").allTextContents()).toContain(fee);
    expect(await row.textContent()).toContain("staff@zju.openlab.test");
    await screenshot(admin, "trust-audit-fee-change");
    await checkA11y(admin, "institution audit log");

    const csv = await admin.request.get(`${baseUrl}${await admin.getByRole("link", { name: "导出 CSV" }).getAttribute("href")}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain(fee);
    expect(errors).toEqual([]);
  });

  it("a customer with three no-shows is blocked, sees why, and books again once a platform admin lifts the block", async () => {
    const customer = await pageFor(CUSTOMER);
    await customer.goto(`${baseUrl}/labs/zju-emlab`);
    const href = await customer.locator("main a[href^='/instruments/']").first().getAttribute("href");
    const slug = href!.split("/")[2]!.split("?")[0]!;
    const booked: string[] = [];
    for (let attempt = 0; booked.length < 3 && attempt < 40; attempt++) {
      const answer = await request(customer, slug, candidate(7 + Math.floor(Math.random() * 40), [9, 10, 14, 15, 16][attempt % 5]!));
      const id = answer.location.match(/\/bookings\/([0-9a-f-]{36})$/)?.[1];
      if (id) booked.push(id);
    }
    expect(booked).toHaveLength(3);

    // The lab confirms the three requests and records that nobody came.
    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/manage`);
    const lab = await staff.locator("a[href^='/manage/labs/']").first().getAttribute("href");
    await staff.goto(`${baseUrl}${lab}/bookings`);
    const csrf = await staff.locator("input[name='_csrf']").first().inputValue();
    for (const bookingId of booked) {
      for (const intent of ["approve", "markNoShow"]) {
        const answer = await staff.request.post(`${baseUrl}${lab}/bookings`, { form: { _csrf: csrf, intent, bookingId }, maxRedirects: 0 });
        expect(answer.status(), `${intent} ${bookingId}`).toBeLessThan(400);
      }
    }

    // The fourth request is refused with the reason and a link to the credit record.
    let slot = candidate(50, 9);
    for (let i = 0; i < 10; i++) {
      slot = candidate(50 + i, 10);
      await customer.goto(`${baseUrl}/instruments/${slug}/book?start=${encodeURIComponent(slot.start)}&end=${encodeURIComponent(slot.end)}`);
      if ((await customer.locator('textarea[name="purpose"], input[name="purpose"]').count()) > 0) break;
    }
    await waitForHydration(customer);
    await customer.locator('[name="purpose"]').fill("第四次预约");
    await customer.getByRole("button", { name: "提交预约申请" }).click();
    await expect.poll(() => customer.locator(".form-error").textContent()).toContain("多次爽约");
    await screenshot(customer, "trust-credit-refused");
    await customer.getByRole("link", { name: /查看原因/ }).click();
    await customer.waitForURL(/\/credit$/);
    await expect.poll(() => customer.locator(".notice-warning").textContent()).toContain("爽约 3 次");
    expect(await customer.locator(".notice-warning").textContent()).toContain("如何恢复");
    await screenshot(customer, "trust-credit-record-blocked");
    await checkA11y(customer, "credit record");

    // A platform admin lifts the block with a reason; the customer may book again.
    const admin = await pageFor(demoLogins.platform_admin);
    await admin.goto(`${baseUrl}/admin/credit`);
    await waitForHydration(admin);
    const row = admin.locator("tbody tr").filter({ hasText: CUSTOMER }).filter({ has: admin.locator('input[name="reason"]') });
    await expect.poll(() => row.count()).toBe(1);
    await screenshot(admin, "trust-credit-admin");
    await row.locator('input[name="reason"]').fill("已电话核实：样品运输延误");
    await Promise.all([admin.waitForURL(/\/admin\/credit$/), row.getByRole("button", { name: "解除限制" }).click()]);
    await expect.poll(() => admin.locator("tbody tr").filter({ hasText: "已电话核实：样品运输延误" }).count()).toBeGreaterThan(0);

    await customer.goto(`${baseUrl}/credit`);
    await expect.poll(() => customer.locator(".notice-warning").count()).toBe(0);
    // Any open weekday slot will do (weekends and far dates are refused for their own reasons).
    let again = await request(customer, slug, slot);
    for (let day = 8; day < 18 && !again.location; day++) {
      expect(again.error).not.toContain("多次爽约");
      again = await request(customer, slug, candidate(day, 11));
    }
    expect(again.location, `${again.status} ${again.error}`).toMatch(/\/bookings\/[0-9a-f-]{36}$/);
    expect(errors).toEqual([]);
  });
});
