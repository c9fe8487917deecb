import type { Browser, BrowserContext } from "playwright-core";
import chineseDays from "chinese-days/dist/chinese-days.json";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, launchBrowser, screenshot, signIn, viewports, waitForHydration } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

/** Next Thursday after today in Shanghai (a week ahead when today is Thursday), skipping a statutory holiday. */
function nextThursday(now: Date): string {
  const shanghai = new Date(now.getTime() + 8 * 3_600_000);
  const today = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate());
  const weekday = new Date(today).getUTCDay();
  let day = today + (((4 - weekday + 7) % 7) || 7) * 86_400_000;
  while (new Date(day).toISOString().slice(0, 10) in chineseDays.holidays) day += 7 * 86_400_000;
  return new Date(day).toISOString().slice(0, 10);
}

describe.skipIf(!hasBrowser)("the free-window filter in Chromium", () => {
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

  it("finds a free microscope next Thursday morning and opens the booking form with its slot", async () => {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    const thursday = nextThursday(new Date());
    await signIn(page, baseUrl, demoLogins.customer, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/instruments`);
    await waitForHydration(page);
    await page.locator("#directory-q").fill("显微镜");
    await page.getByLabel("开始时间").fill(`${thursday}T08:30`);
    await page.getByLabel("结束时间").fill(`${thursday}T12:00`);
    await page.getByLabel("至少空闲（小时）").fill("2");
    await Promise.all([page.waitForURL(/hours=2/), page.getByRole("button", { name: "查找有空的仪器" }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.get("from")).toBe(`${thursday}T08:30`);
    expect(url.searchParams.get("q")).toBe("显微镜");

    const fits = page.locator(".result-fit a");
    await expect.poll(() => fits.count()).toBeGreaterThan(0);
    const [month, day] = thursday.slice(5).split("-").map(Number);
    const first = (await fits.first().textContent())!;
    // The lab's morning opening: 08:30–12:00 on that Thursday, two hours long.
    expect(first).toContain(`${month}月${day}日星期四`);
    expect(first).toMatch(/(08:30–10:30|09:00–11:00|09:30–11:30|10:00–12:00)$/);
    await expect.poll(() => page.locator(".results-head p").textContent()).toMatch(/共找到 \d+ 台仪器/);
    await screenshot(page, "free-window-results");
    await checkA11y(page, "directory with a free window");

    const time = first.slice(-11);
    await fits.first().click();
    await page.waitForURL(/\/book\?start=/);
    await waitForHydration(page);
    await expect.poll(() => page.locator(".booking-slot").textContent()).toContain(time);
    await screenshot(page, "free-window-booking-form");
    expect(errors).toEqual([]);
  });

  it("explains a window that ends before it starts, at the field", async () => {
    const page = await context.newPage();
    const thursday = nextThursday(new Date());
    await page.goto(`${baseUrl}/instruments?q=${encodeURIComponent("显微镜")}&from=${thursday}T12:00&to=${thursday}T08:30&hours=0`);
    await waitForHydration(page);
    await expect.poll(() => page.locator(".free-window .field-error").allTextContents()).toEqual(["结束时间必须晚于开始时间", "小时数必须大于 0"]);
    await screenshot(page, "free-window-bad-input");
    await checkA11y(page, "directory with a bad free window");
  });
});
