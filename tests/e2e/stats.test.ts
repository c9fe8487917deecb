import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, launchBrowser, screenshot, viewports, waitForHydration } from "../support/browser";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

describe.skipIf(!hasBrowser)("public statistics and the quarterly national-platform records", () => {
  let browser: Browser;
  const journey = journeyBrowser(baseUrl);

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await journey.close();
    await browser?.close();
  });

  for (const [locale, heading] of [
    ["zh-CN", "开放共享统计"],
    ["en", "Sharing statistics"],
  ] as const) {
    it(`shows the platform's figures with charts to a visitor (${locale})`, async () => {
      const context = await browser.newContext({ viewport: viewports.desktop, locale });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${baseUrl}/stats`);
      await waitForHydration(page);
      await expect.poll(() => page.locator("h1").textContent()).toBe(heading);
      await expect.poll(() => page.locator(".stats-chart svg.recharts-surface").count()).toBeGreaterThanOrEqual(2);
      await expect.poll(() => page.locator(".stats-chart .recharts-bar").count()).toBeGreaterThan(0);
      expect(await page.locator("footer a[href='/stats']").count()).toBe(1);
      await screenshot(page, `stats-${locale}`);
      await checkA11y(page, `public statistics (${locale})`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("refuses a bad year with a message, and serves the figures to shared caches as JSON", async () => {
    const context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN" });
    const page = await context.newPage();
    const answer = await page.goto(`${baseUrl}/stats?year=1850`);
    expect(answer?.status()).toBe(400);
    await expect.poll(() => page.locator(".field-error").textContent()).toContain("2000 至 2100");
    const json = await page.request.get(`${baseUrl}/stats.json`);
    expect(json.status()).toBe(200);
    expect(json.headers()["cache-control"]).toMatch(/^public/);
    expect(json.headers()["set-cookie"]).toBeUndefined();
    const body = await json.json();
    expect(body.byYear).toHaveLength(5);
    await context.close();
  });

  it("lets an institution admin download the quarter's records as XLSX in the national layout", async () => {
    const page = await journey.pageFor(demoLogins.institution_admin);
    await page.goto(`${baseUrl}/reports/national`);
    await waitForHydration(page);
    await page.getByLabel("季度").selectOption({ index: 0 });
    await page.getByRole("button", { name: "选择" }).click();
    await page.waitForURL(/quarter=/);
    await screenshot(page, "national-records");
    const quarter = new URL(page.url()).searchParams.get("quarter")!;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `下载 ${quarter} Excel` }).click()]);
    expect(download.suggestedFilename()).toBe(`national-zju-${quarter}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["服务记录", "仪器记录"]);
    const services = workbook.getWorksheet("服务记录")!;
    expect(services.getRow(1).values).toEqual(expect.arrayContaining(["仪器编号", "服务方式", "服务量", "申请人", "申请单位", "服务收费（元）", "用户满意度"]));
    const records = workbook.getWorksheet("仪器记录")!;
    expect(records.getRow(1).values).toEqual(expect.arrayContaining(["单位内部编号", "仪器名称", "本季度有效工作机时"]));
    expect(records.rowCount).toBeGreaterThan(1);

    const other = await page.request.get(`${baseUrl}/reports/national/${quarter}.json?institution=00000000-0000-4000-8000-000000000000`);
    expect(other.status()).toBe(403);
    const bad = await page.request.get(`${baseUrl}/reports/national/2026-Q9.xlsx`);
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain("2026-Q1");
    expect(journey.errors).toEqual([]);
  });
});
