import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, launchBrowser, screenshot, signIn, viewports, waitForHydration } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

describe.skipIf(!hasBrowser)("a customer books a slot from the instrument page in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN" });
    context.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("goes from the week calendar to 我的预约", async () => {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    await signIn(page, baseUrl, demoLogins.customer, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/instruments/jem-2100f-zju-emlab`);
    await waitForHydration(page);
    const calendar = page.locator("#booking");
    await expect.poll(() => calendar.getByRole("heading", { level: 3 }).count()).toBe(7);

    // Next week, then a random further 2–5 weeks (within the 60-day horizon), so repeated runs
    // on a shared database spread their bookings; booked slots leave the calendar anyway.
    const extraWeeks = 2 + Math.floor(Math.random() * 4);
    for (let i = 0; i <= extraWeeks; i++) {
      const before = page.url();
      const range = await calendar.locator(".week-range").textContent();
      await calendar.getByRole("link", { name: "下一周" }).click();
      await page.waitForURL((url) => url.toString() !== before && url.searchParams.has("week"));
      // The URL changes before the new week renders.
      await expect.poll(() => calendar.locator(".week-range").textContent()).not.toBe(range);
    }
    const slots = calendar.locator("a.week-slot");
    await expect.poll(() => slots.count()).toBeGreaterThan(0);
    await screenshot(page, "booking-journey-calendar");
    await checkA11y(page, "instrument week calendar");

    const first = slots.first();
    const time = (await first.textContent())!.trim();
    expect(time).toMatch(/^\d{2}:\d{2}–\d{2}:\d{2}$/);
    await first.click();
    await page.waitForURL(/\/instruments\/jem-2100f-zju-emlab\/book\?start=/);
    await waitForHydration(page);
    await expect.poll(() => page.locator(".booking-slot").textContent()).toContain(time);
    await checkA11y(page, "booking form");
    await page.getByLabel("使用目的").fill("TEM 高分辨成像：纳米颗粒晶格条纹");
    await page.getByLabel("项目或课题编号（可选）").fill("NSFC-22071234");
    await Promise.all([page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/), page.getByRole("button", { name: "提交预约申请" }).click()]);
    const bookingPath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator(".booking-status").first().textContent()).toBe("待审核");
    const reference = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("预约 ", "").trim();
    expect(reference).toMatch(/^BK-\d{4}-\d+$/);

    // 我的预约 from the account menu.
    await page.locator(".account-menu summary").click();
    await page.locator(".account-menu").getByRole("link", { name: "我的预约", exact: true }).click();
    await page.waitForURL(/\/bookings$/);
    const row = page.locator(`tr:has(a[href="${bookingPath}"])`);
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.locator(".booking-status").textContent()).toBe("待审核");
    expect(await row.textContent()).toContain(time.split("–")[0]);
    await screenshot(page, "booking-journey-my-bookings");
    await checkA11y(page, "my bookings");
    expect(errors).toEqual([]);
  });
});
