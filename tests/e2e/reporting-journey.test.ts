import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { chromiumExecutable, journeyBrowser, screenshot, waitForHydration } from "../support/browser";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
const year = new Date().getFullYear();

async function download(page: Page, click: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync((await file.path())!) as unknown as ArrayBuffer);
  return { workbook, name: file.suggestedFilename() };
}

describe.skipIf(!hasBrowser)("an institution admin's utilisation reports in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  afterAll(() => session.close());

  it("dashboard with charts → idle instrument → XLSX export → annual report filled in, printed and downloaded", async () => {
    const admin = await session.pageFor(demoLogins.institution_admin);
    await admin.goto(`${baseUrl}/reports?period=year&year=${year}`);
    await waitForHydration(admin);
    // Refresh now (the demo's summaries may still be building after start), with its feedback.
    await admin.getByRole("button", { name: "立即刷新" }).click();
    // A refresh right after start also waits for the demo year's first build.
    await expect.poll(() => admin.getByRole("status").filter({ hasText: "已刷新" }).count(), { timeout: 90_000 }).toBe(1);
    await waitForHydration(admin);
    // The charts are drawn once the page is hydrated, in boxes the server already sized.
    await expect.poll(() => admin.locator(".chart-box .recharts-wrapper > svg").count(), { timeout: 15_000 }).toBe(5);
    await expect.poll(() => admin.locator(".recharts-bar-rectangle, .recharts-line-curve").count()).toBeGreaterThan(0);
    await screenshot(admin, "reporting-dashboard");

    // The XLSX of the table holds a header and one row per instrument; while it streams (slowed
    // down here), the page says how far it has come.
    await admin.route("**/reports/export?**", async (route) => {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.fulfill({ response });
    });
    const progress = admin.locator(".export-progress").filter({ hasText: "正在导出" });
    const exported = await download(admin, async () => {
      await admin.getByRole("link", { name: "导出 Excel" }).click();
      await progress.waitFor();
    });
    await admin.unroute("**/reports/export?**");
    await progress.waitFor({ state: "detached" });
    expect(exported.name).toMatch(/\.xlsx$/);
    const sheet = exported.workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toContain("有效工作机时");
    const tableRows = await admin.locator(".table-wrap tbody tr").count();
    expect(sheet.actualRowCount).toBe(tableRows + 1);

    // An idle instrument: flagged below the threshold; its page lists its months and bookings.
    const idle = admin.locator("tr.flagged th a").first();
    const idleName = (await idle.textContent())!;
    await idle.click();
    await admin.waitForURL(/\/reports\/instruments\/[0-9a-f-]{36}/);
    await admin.getByRole("heading", { level: 1, name: idleName }).waitFor();
    await expect.poll(() => admin.getByText("低于使用率阈值").count()).toBeGreaterThan(0);
    expect(await admin.locator("table").first().locator("tbody tr").count()).toBe(12);
    await screenshot(admin, "reporting-idle-instrument");
    const booking = admin.locator("a[href^='/reports/bookings/']").first();
    if ((await booking.count()) > 0) {
      await booking.click();
      await admin.waitForURL(/\/reports\/bookings\/[0-9a-f-]{36}/);
      await admin.getByRole("heading", { level: 1, name: /BK-/ }).waitFor();
      await screenshot(admin, "reporting-booking");
    }

    // The annual report: fill in the form, see the printable page, download its XLSX.
    await admin.goto(`${baseUrl}/reports?period=year&year=${year}`);
    await admin.getByRole("link", { name: `${year} 年度开放共享评价报告` }).click();
    await admin.waitForURL(/\/reports\/annual\/[0-9a-f-]{36}\/\d{4}$/);
    await waitForHydration(admin);
    const stamp = `管理制度 ${Date.now()}`;
    await admin.getByLabel("总体管理 · 管理制度与组织保障").fill(stamp);
    await admin.getByLabel("技术队伍 · 专职技术人员（人）").fill("12");
    await admin.getByLabel("对外服务成效与用户满意度 · 用户满意度（%）").fill("96");
    const reason = admin.locator("textarea[name^='reason-']").first();
    await reason.fill("年内大修三个月");
    await admin.getByRole("button", { name: "保存填报内容" }).click();
    await admin.getByRole("status").filter({ hasText: "已保存" }).waitFor();
    await expect.poll(() => admin.getByText(stamp).count()).toBeGreaterThan(0);
    await admin.emulateMedia({ media: "print" });
    expect(await admin.locator("form.record-form").isVisible()).toBe(false);
    await screenshot(admin, "reporting-annual-print");
    await admin.emulateMedia({ media: "screen" });
    await screenshot(admin, "reporting-annual");

    // Bad input changes nothing and says why at the field.
    await admin.getByLabel("对外服务成效与用户满意度 · 用户满意度（%）").fill("150");
    await admin.getByRole("button", { name: "保存填报内容" }).click();
    await admin.locator(".field-error").first().waitFor();
    // Without JavaScript the refused page is rendered anew and still holds what was typed.
    const typed = await admin
      .locator("form.record-form")
      .evaluate((f) => Object.fromEntries([...new FormData(f as HTMLFormElement)].map(([k, v]) => [k, String(v)])));
    const refusedPost = await admin.request.post(admin.url(), { form: typed });
    expect(refusedPost.status()).toBe(400);
    expect(await refusedPost.text()).toContain('value="150"');

    const annual = await download(admin, () => admin.getByRole("link", { name: "下载 Excel" }).click());
    const cells = annual.workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells.some((c) => c.includes(stamp))).toBe(true);
    expect(cells.some((c) => c.includes("用户满意度（%）: 96"))).toBe(true);
    const below = annual.workbook.worksheets[1]!.getSheetValues().flat().map(String);
    expect(below).toContain("年内大修三个月");
    expect(session.errors).toEqual([]);
  });

  it("refuses another institution's report and a period that ends before it starts", async () => {
    const staff = await session.pageFor(demoLogins.other_tenant);
    const own = await session.pageFor(demoLogins.institution_admin);
    await own.goto(`${baseUrl}/reports?period=year&year=${year}`);
    const annualHref = (await own.getByRole("link", { name: `${year} 年度开放共享评价报告` }).getAttribute("href"))!;
    const refused = await staff.goto(`${baseUrl}${annualHref}`);
    expect(refused?.status()).toBe(403);
    await own.goto(`${baseUrl}/reports?period=custom&from=${year}-06&to=${year}-01`);
    await expect.poll(() => own.getByRole("alert").filter({ hasText: "截止月份不能早于起始月份" }).count()).toBe(1);
    const unknown = await own.goto(`${baseUrl}/reports/instruments/00000000-0000-4000-8000-000000000000`);
    expect(unknown?.status()).toBe(404);
  });
});
