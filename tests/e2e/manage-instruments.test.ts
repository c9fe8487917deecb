import sharp from "sharp";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, launchBrowser, screenshot, signIn, viewports } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

/** Lab staff enter an instrument through the form, add a photo, publish it and find it in the directory. */
describe.skipIf(!hasBrowser)("lab staff manage an instrument in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
  const nameZh = `球差校正透射电子显微镜${tag}`;
  const model = `Spectra-${tag}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("creates, illustrates and publishes an instrument, which the directory then finds", async () => {
    await page.goto(`${baseUrl}/login`);
    await page.waitForLoadState("networkidle");
    await signIn(page, baseUrl, demoLogins.lab_staff, DEMO_PASSWORD);
    await page.locator("details.account-menu summary").click();
    await page.getByRole("link", { name: "我的实验室" }).click();
    await page.waitForURL(/\/manage$/);
    await page.locator("a[href^='/manage/labs/']").first().click();
    await page.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    const labUrl = page.url();

    await page.getByRole("link", { name: "新增仪器" }).click();
    await page.waitForURL(/\/instruments\/new$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("新增仪器");

    // A first try with a bad value: the error stands next to the field and the input stays.
    await page.getByLabel("仪器名称（中文） *").fill(nameZh);
    await page.getByLabel("仪器原值（元）").fill("-100");
    await page.getByRole("button", { name: "保存草稿" }).click();
    await expect.poll(() => page.locator("#field-originalValue-error").textContent()).toContain("请输入金额");
    expect(await page.getByLabel("仪器名称（中文） *").inputValue()).toBe(nameZh);

    await page.getByLabel("仪器名称（英文） *").fill(`Aberration-corrected TEM ${tag}`);
    await page.getByLabel("规格型号").fill(model);
    await page.getByLabel("生产厂商").fill("Thermo Fisher Scientific");
    await page.getByLabel("产地国别").fill("美国");
    await page.getByLabel("仪器分类 *").selectOption("0101");
    await page.getByLabel("仪器原值（元）").fill("3200万");
    await page.getByLabel("购置日期").fill("2021-04-12");
    await page.getByLabel("启用日期").fill("2021-10-08");
    await page.getByLabel("主要功能").fill("原子分辨率成像、电子能量损失谱分析");
    await page.getByLabel("机组人员操作").check();
    await page.getByLabel("送样检测").check();
    await page.getByLabel("运行状态").selectOption("normal");
    await screenshot(page, "manage-instrument-form");
    await checkA11y(page, "new instrument form");
    await Promise.all([page.waitForURL(/\/manage\/instruments\/[0-9a-f-]{36}$/), page.getByRole("button", { name: "保存草稿" }).click()]);
    await expect.poll(() => page.locator(".listing-status").first().textContent()).toBe("草稿");

    await page.getByRole("link", { name: /^照片/ }).click();
    await page.waitForURL(/\/photos$/);
    const png = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 20, g: 90, b: 160 } } }).png().toBuffer();
    await page.setInputFiles("#photo-input", { name: "tem.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "上传" }).click();
    await expect.poll(() => page.locator(".photo-tile img").count()).toBe(1);
    await expect.poll(() => page.locator(".photo-tile img").evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(400);
    await checkA11y(page, "photos page");

    await page.getByRole("link", { name: "返回仪器信息" }).click();
    await page.getByRole("button", { name: "发布", exact: true }).click();
    await expect.poll(() => page.locator(".notice").first().textContent()).toContain("仪器已发布");

    await page.goto(labUrl);
    const row = page.locator("tr").filter({ hasText: nameZh });
    await expect.poll(() => row.locator(".listing-status").textContent()).toBe("已发布");
    await screenshot(page, "manage-lab-instruments");
    await checkA11y(page, "lab instruments page");

    await page.goto(`${baseUrl}/instruments?q=${encodeURIComponent(nameZh)}`);
    const result = page.locator(".result").filter({ hasText: nameZh });
    await expect.poll(() => result.count()).toBeGreaterThan(0);
    expect(await result.first().locator(".result-photo img").getAttribute("src")).toMatch(/-thumb\.webp$/);
    await result.first().getByRole("link", { name: new RegExp(nameZh) }).first().click();
    await page.waitForURL(/\/instruments\/zju-emlab-spectra-/);
    await expect.poll(() => page.locator(".photos img").evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1600);
    expect(errors).toEqual([]);
  });
});
