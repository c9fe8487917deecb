import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { chromiumExecutable, launchBrowser, screenshot, signIn, viewports, waitForHydration } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

/** A tiny valid-looking PDF: the app judges the upload by its first bytes. */
const reportPdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

describe.skipIf(!hasBrowser)("a sample job from request to report download in Chromium", () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  async function pageFor(email: string) {
    const context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN", acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    await signIn(page, baseUrl, email, DEMO_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
  });

  it("customer requests, lab accepts → receives → tests → uploads → issues, customer downloads the PDF", async () => {
    const customer = await pageFor(demoLogins.customer);
    await customer.goto(`${baseUrl}/instruments/su8010-zju-emlab`);
    await customer.getByRole("link", { name: "送样检测" }).click();
    await customer.waitForURL(/\/samples$/);
    await waitForHydration(customer);
    await customer.getByLabel("样品名称").fill("涂层试样 A");
    await customer.getByLabel("数量").fill("3");
    await customer.getByLabel("基质").fill("不锈钢基体");
    await customer.getByLabel("纳米材料").check();
    await customer.getByLabel("检测项目").fill("SEM 断面形貌、EDS 面扫");
    await customer.getByLabel("检测目的").fill("涂层断面形貌与成分分析");
    await customer.getByLabel("由实验室处置").check();
    await screenshot(customer, "sample-job-request");
    await customer.getByRole("button", { name: "提交送样申请" }).click();
    await customer.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    const bookingId = customer.url().split("/").pop()!;
    // The URL changes before the new page has rendered: wait for the booking's own heading.
    const heading = customer.getByRole("heading", { level: 1, name: /BK-\d{4}-\d+/ });
    await heading.waitFor();
    const reference = (await heading.textContent())!.match(/BK-\d{4}-\d+/)![0];
    await expect.poll(() => customer.getByText("待审核").count()).toBeGreaterThan(0);

    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/manage`);
    await staff.locator("a[href^='/manage/labs/']").first().click();
    await staff.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await staff.goto(`${staff.url()}/bookings`);
    await staff.getByRole("link", { name: `处理 ${reference}` }).click();
    await staff.waitForURL(/\/samples\/[0-9a-f-]{36}$/);
    await waitForHydration(staff);
    await screenshot(staff, "sample-job-lab-requested");

    const notice = (text: string) => expect.poll(() => staff.getByRole("status").textContent()).toContain(text);
    await staff.getByRole("button", { name: "受理" }).click();
    await notice("已受理");
    await staff.getByLabel("样品状态说明").fill("包装完好，数量与申请一致");
    await staff.getByRole("button", { name: "登记收样" }).click();
    await notice("已登记收样");
    await staff.getByRole("button", { name: "开始检测" }).click();
    await notice("已开始检测");
    await staff.getByLabel("准备（分钟）").fill("0");
    await staff.getByLabel("测试（分钟）").fill("1");
    await staff.getByLabel("后处理（分钟）").fill("0");
    await staff.getByRole("button", { name: "保存机时" }).click();
    await notice("仪器机时已保存");
    await staff.getByLabel("报告文件（PDF，最大 20 MB）").setInputFiles({ name: "检测报告.pdf", mimeType: "application/pdf", buffer: reportPdf });
    await staff.getByRole("button", { name: "上传", exact: true }).click();
    await notice("报告已上传");
    await staff.getByRole("button", { name: "出具报告" }).click();
    await notice("报告已出具");
    await screenshot(staff, "sample-job-lab-issued");

    await customer.goto(`${baseUrl}/bookings/${bookingId}`);
    await expect.poll(() => customer.getByText("已出报告").count()).toBeGreaterThan(0);
    await screenshot(customer, "sample-job-customer-report");
    const [download] = await Promise.all([customer.waitForEvent("download"), customer.getByRole("link", { name: "下载检测报告（PDF）" }).click()]);
    expect(download.suggestedFilename()).toBe(`${reference}-report.pdf`);
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(path!);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");

    // Another organisation's customer gets no report.
    const other = await pageFor("customer@huadong.openlab.test");
    const refused = await other.request.get(`${baseUrl}/bookings/${bookingId}/report`, { maxRedirects: 0 });
    expect(refused.status()).toBe(403);

    await customer.goto(`${baseUrl}/bookings`);
    await screenshot(customer, "sample-job-my-bookings");
    expect(errors).toEqual([]);
  });
});
