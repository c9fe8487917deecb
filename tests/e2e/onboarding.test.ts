import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { makeCreditCode } from "../../db/seed/data";
import { checkA11y, chromiumExecutable, launchBrowser, readOutbox, screenshot, signIn, viewports } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
const wait = { timeout: 15_000 };

/** A small but real PDF, built here: the app judges the letter by its bytes. */
function letterPdf(): Buffer {
  return Buffer.from(
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
      "trailer << /Root 1 0 R >>\n%%EOF\n",
  );
}

describe.skipIf(!hasBrowser)("provider onboarding journey in Chromium", () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function newPage() {
    const context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN" });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    return { page, errors };
  }

  /** Forms are sent by the app's script; wait until it has loaded. */
  async function open(page: Page, path: string) {
    const response = await page.goto(`${baseUrl}${path}`);
    await page.waitForLoadState("networkidle");
    return response;
  }

  it("a new institution is onboarded, publishes an instrument, and a visitor finds it by a Chinese abbreviation", async () => {
    const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const email = `provider-${tag}@example.test`;
    const nameZh = `钱塘新材料研究院${tag.slice(-4)}`;
    const creditCode = makeCreditCode("12", "330000", 60_000_000 + Math.floor(Math.random() * 30_000_000));

    // Sign up, then find the way to apply from the footer.
    const { page, errors } = await newPage();
    await open(page, "/signup");
    await page.locator('input[name="displayName"]').fill("钱老师");
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill("Provider-Pass-2026!");
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    await page.getByRole("contentinfo").getByRole("link", { name: "申请成为服务机构" }).click();
    await page.waitForURL((url) => url.pathname === "/apply");
    await page.waitForLoadState("networkidle");
    await screenshot(page, "onboarding-apply-form");
    await checkA11y(page, "apply form");

    // A text file named .pdf is refused at the letter field.
    await page.locator('input[name="nameZh"]').fill(nameZh);
    await page.locator('input[name="nameEn"]').fill("Qiantang Institute of New Materials");
    await page.locator('select[name="type"]').selectOption("institute");
    await page.locator('input[name="creditCode"]').fill(creditCode);
    await page.locator('input[name="regionCode"]').fill("330106");
    await page.locator('input[name="address"]').fill("杭州市西湖区文三路 100 号");
    await page.locator('input[name="contactName"]').fill("钱老师");
    await page.locator('input[name="contactPhone"]').fill("0571-8888 1234");
    await page.locator('input[name="contactEmail"]').fill(email);
    await page.locator('input[name="letter"]').setInputFiles({ name: "letter.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf") });
    await page.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => page.locator("#field-letter-error").textContent(), wait).toBe("该文件不是 PDF，请上传 PDF 文件。");
    await screenshot(page, "onboarding-apply-not-pdf");

    await page.locator('input[name="letter"]').setInputFiles({ name: "授权函.pdf", mimeType: "application/pdf", buffer: letterPdf() });
    await page.getByRole("button", { name: "提交申请" }).click();
    await expect.poll(() => page.locator(".application-list .chip").first().textContent(), wait).toBe("待审核");
    await expect.poll(() => page.getByRole("status").first().textContent(), wait).toContain("申请已提交");
    await screenshot(page, "onboarding-apply-submitted");
    await checkA11y(page, "apply with a pending application");

    // The platform admin finds it first in the queue and approves it.
    const admin = await newPage();
    await signIn(admin.page, baseUrl, demoLogins.platform_admin, DEMO_PASSWORD);
    await open(admin.page, "/admin/applications");
    await expect.poll(() => admin.page.locator("tbody tr").first().textContent(), wait).toContain("待审核");
    await screenshot(admin.page, "onboarding-review-queue");
    await checkA11y(admin.page, "review queue");
    await admin.page.getByRole("link", { name: nameZh }).click();
    await admin.page.waitForURL(/\/admin\/applications\/[0-9a-f-]{36}$/);
    await admin.page.waitForLoadState("networkidle");
    await checkA11y(admin.page, "application review");
    // Rejecting without a reason is refused at the field.
    await admin.page.getByRole("button", { name: "驳回" }).click();
    await expect.poll(() => admin.page.locator("#field-reason-error").textContent(), wait).toBe("驳回申请时必须填写理由。");
    await admin.page.getByRole("button", { name: "通过" }).click();
    await expect.poll(() => admin.page.locator("h1 .chip").textContent(), wait).toBe("已通过");
    await screenshot(admin.page, "onboarding-review-approved");
    const mail = await readOutbox(admin.page, baseUrl, email, "您的服务机构入驻申请有了审核结果");
    expect(mail).toContain(nameZh);
    expect(admin.errors).toEqual([]);

    // The applicant, now institution admin, reaches the institution from the account menu and creates a lab.
    await open(page, "/account");
    await page.locator("details.account-menu summary").click();
    await page.getByRole("link", { name: "单位管理" }).click();
    await page.waitForURL(/\/manage\/institutions\/[0-9a-f-]{36}$/);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), wait).toBe(nameZh);
    await expect.poll(() => page.locator(".application-list .chip").first().textContent(), wait).toBe("已通过");
    await screenshot(page, "onboarding-institution");
    await checkA11y(page, "institution page");

    await page.locator('input[name="nameZh"]').fill("新材料分析测试中心");
    await page.locator('input[name="nameEn"]').fill("New Materials Analysis Centre");
    await page.locator('input[name="address"]').fill("文三路 100 号 2 号楼");
    await page.getByRole("button", { name: "创建实验室" }).click();
    await page.waitForURL(/\/labs\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), wait).toBe("新材料分析测试中心");
    await expect.poll(() => page.locator('input[name="timeZone"]').inputValue(), wait).toBe("Asia/Shanghai");
    await page.waitForLoadState("networkidle");
    await screenshot(page, "onboarding-lab");
    await checkA11y(page, "lab page");

    // The new institution admin publishes an instrument in that lab …
    const labId = new URL(page.url()).pathname.split("/").pop();
    await open(page, `/manage/labs/${labId}/instruments/new`);
    await page.getByLabel("仪器名称（中文） *").fill("球差校正透射电子显微镜");
    await page.getByLabel("仪器名称（英文） *").fill("Aberration-corrected transmission electron microscope");
    await page.getByLabel("规格型号").fill(`Spectra ${tag}`);
    await page.getByLabel("生产厂商").fill("Thermo Fisher Scientific");
    await page.getByLabel("仪器分类 *").selectOption("0101");
    await page.getByLabel("仪器原值（元）").fill("2800万");
    await page.getByLabel("主要功能").fill("原子分辨率成像、能谱分析");
    await page.getByLabel("机组人员操作").check();
    await Promise.all([page.waitForURL(/\/manage\/instruments\/[0-9a-f-]{36}$/), page.getByRole("button", { name: "保存草稿" }).click()]);
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "发布", exact: true }).click();
    await expect.poll(() => page.locator(".notice").first().textContent(), wait).toContain("仪器已发布");

    // … and a visitor finds it by the Chinese abbreviation 电镜 (电子显微镜) and its model.
    const visitor = await newPage();
    await open(visitor.page, `/instruments?q=${encodeURIComponent(`电镜 ${tag}`)}`);
    const result = visitor.page.locator(".result").filter({ hasText: "球差校正透射电子显微镜" });
    await expect.poll(() => result.count(), wait).toBe(1);
    await expect.poll(() => result.locator("mark").first().textContent(), wait).toBe("电子显微镜");
    expect(await result.textContent()).toContain(nameZh);
    await screenshot(visitor.page, "onboarding-found-by-abbreviation");
    await checkA11y(visitor.page, "directory search");
    expect(errors).toEqual([]);
    expect(visitor.errors).toEqual([]);
  });
});
