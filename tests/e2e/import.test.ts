import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, launchBrowser, screenshot, signIn, viewports } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

describe.skipIf(!hasBrowser)("instrument import in Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("lab staff download the template, upload a filled XLSX, preview it and import it", async () => {
    const context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN", acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page, baseUrl, demoLogins.lab_staff, DEMO_PASSWORD);

    // The lab's management page links to the import page.
    await page.goto(`${baseUrl}/manage`);
    await page.locator('a[href^="/manage/labs/"]').first().click();
    await page.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await page.locator('a[href$="/import"]').click();
    await page.waitForURL(/\/import$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("批量导入仪器");

    // Download the Excel template and fill two rows.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载 Excel 模板" }).click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.worksheets[0];
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    expect(headers[0]).toBe("仪器名称（中文） / Name (zh)");
    const tag = Date.now().toString(36);
    const row = (values: Record<string, string>) =>
      headers.map((h) => values[h.split(" / ")[1]] ?? "");
    sheet.addRow(row({ "Name (zh)": `导入测试扫描电镜${tag}`, "Name (en)": `Import test SEM ${tag}`, Model: `SU-${tag}`, "Category code": "0101", "Original value (CNY)": "3200000", "Service modes": "送样检测", "Purchase date": "2020-03-15" }));
    sheet.addRow(row({ "Name (zh)": `导入测试X射线衍射仪${tag}`, "Name (en)": `Import test XRD ${tag}`, Model: `D8-${tag}`, "Category code": "0103", "Original value (CNY)": "1850000.50", "Service modes": "机组人员操作、远程服务", "Operating status": "待机" }));
    const file = path.join(mkdtempSync(path.join(tmpdir(), "openlab-import-")), "仪器导入.xlsx");
    writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));

    // Upload and check: the preview lists both rows and offers the import.
    await page.locator("#import-file").setInputFiles(file);
    await page.getByRole("button", { name: "检查文件" }).click();
    await expect.poll(() => page.locator(".import-preview tbody tr").count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.getByText("2 行全部检查通过，可以导入。").count()).toBe(1);
    expect(await page.locator(".import-preview").textContent()).toContain(`SU-${tag}`);
    await screenshot(page, "import-preview");
    await checkA11y(page, "import preview");

    // Confirm: back on the lab page with a notice and the two drafts in the table.
    await page.getByRole("button", { name: "确认导入 2 台仪器" }).click();
    await page.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("已导入 2 台仪器");
    expect(await page.getByRole("link", { name: `导入测试扫描电镜${tag}` }).count()).toBe(1);
    expect(await page.getByRole("link", { name: `导入测试X射线衍射仪${tag}` }).count()).toBe(1);
    await screenshot(page, "import-done");

    // A file with a problem shows it by row and column, and nothing is imported.
    await page.goto(page.url() + "/import");
    sheet.addRow(row({ "Name (zh)": `坏行${tag}`, "Name (en)": "Bad row", "Category code": "9999", "Original value (CNY)": "abc", "Service modes": "送样检测" }));
    sheet.addRow(row({ "Name (zh)": `导入测试扫描电镜${tag}`, "Name (en)": "Same SEM", Model: `SU-${tag}`, "Category code": "0101", "Original value (CNY)": "1", "Service modes": "remote" }));
    writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));
    await page.locator("#import-file").setInputFiles(file);
    await page.getByRole("button", { name: "检查文件" }).click();
    await expect.poll(() => page.locator(".import-issues tbody tr").count(), { timeout: 15_000 }).toBe(3);
    const issues = await page.locator(".import-issues").textContent();
    expect(issues).toContain("仪器分类代码不存在");
    expect(issues).toContain("与第 2 行重复");
    expect(await page.getByRole("button", { name: /确认导入/ }).count()).toBe(0);
    await screenshot(page, "import-errors");
    await checkA11y(page, "import errors");
    expect(errors).toEqual([]);
    await context.close();
  });
});
