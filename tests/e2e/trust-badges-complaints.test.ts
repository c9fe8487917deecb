import { afterAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, screenshot, waitForHydration } from "../support/browser";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
/** The demo lab its staff run; the demo seed gives it no accreditation of its own. */
const LAB = "zju-emlab";

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!hasBrowser)("accreditation badges and complaints in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("a lab adds a CNAS accreditation with its certificate and the badge appears on the search results", async () => {
    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/labs/${LAB}`);
    const href = (await staff.locator(`main a[href$='-${LAB}']`).first().getAttribute("href"))!;
    const slug = href.split("/")[2]!;
    const model = (await staff.goto(`${baseUrl}/instruments/${slug}`), await staff.locator("h1").first().textContent())!.trim();
    const card = async () => {
      await staff.goto(`${baseUrl}/instruments?q=${encodeURIComponent(model)}`);
      return staff.locator("li.result").filter({ has: staff.locator(`a[href='/instruments/${slug}']`) });
    };
    expect(await (await card()).locator(".chip-accreditation", { hasText: "CNAS" }).count()).toBe(0);

    await staff.goto(`${baseUrl}/manage`);
    await staff.locator("a[href^='/manage/labs/']").first().click();
    await staff.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await staff.getByRole("link", { name: "认证资质", exact: true }).click();
    await staff.waitForURL(/\/accreditations$/);
    await waitForHydration(staff);
    await staff.getByLabel("认证类型").selectOption("cnas");
    await staff.getByLabel("证书编号").fill(`CNAS L${Math.floor(1000 + Math.random() * 8999)}`);
    await staff.getByLabel("发证机构").fill("中国合格评定国家认可委员会");
    await staff.getByLabel("认可/认定范围").fill("电子显微镜形貌与成分分析");
    await staff.getByLabel("有效期自").fill(day(-10));
    await staff.getByLabel("有效期至").fill(day(900));
    await staff.getByLabel("证书扫描件（PDF）").setInputFiles({ name: "CNAS证书.pdf", mimeType: "application/pdf", buffer: pdf("CNAS") });
    await Promise.all([staff.waitForURL(/\/accreditations$/), staff.getByRole("button", { name: "保存认证" }).click()]);
    await expect.poll(() => staff.locator(".notice").count()).toBeGreaterThan(0);
    await screenshot(staff, "trust-accreditation-added");
    await checkA11y(staff, "lab accreditations");

    const result = await card();
    await expect.poll(() => result.locator(".chip-accreditation", { hasText: "CNAS" }).count()).toBe(1);
    await screenshot(staff, "trust-accreditation-badge-in-search");
    expect(errors).toEqual([]);
  });

  it("a customer reviews a completed booking and files a complaint; the lab answers; a platform admin upholds it and the customer sees why", async () => {
    const customer = await pageFor(demoLogins.customer);
    await customer.goto(`${baseUrl}/bookings?status=completed`);
    const rows = customer.locator("tbody tr").filter({ has: customer.locator(`a[href$='-${LAB}']`) });
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    // A row of its own, so a rerun on the same database finds one not yet reviewed.
    await rows.nth(Math.floor(Math.random() * count)).locator("a[href^='/bookings/']").click();
    await customer.waitForURL(/\/bookings\/[0-9a-f-]{36}$/);
    await waitForHydration(customer);
    const heading = customer.locator("h1", { hasText: /BK-/ });
    await heading.waitFor();
    const reference = (await heading.textContent())!;

    await customer.getByLabel("一般").check();
    await customer.getByLabel("评价内容（可选）").fill("测试结果可靠，但等待时间较长。");
    await customer.getByRole("button", { name: "提交评价" }).click();
    await expect.poll(() => customer.getByText("感谢您的评价。").count()).toBe(1);

    await customer.getByRole("link", { name: "投诉此预约" }).click();
    await customer.waitForURL(/\/complaints\/new\?booking=/);
    await waitForHydration(customer);
    await customer.getByLabel("问题描述").fill("样品测试前未按约定恒温保存，结果偏差明显，要求免费重测。<b>加急</b>");
    await customer.getByRole("button", { name: "提交投诉" }).click();
    // Markup, then a file that is no PDF: each is told at its field, and nothing is filed.
    await expect.poll(() => customer.locator(".field-error").allTextContents()).toEqual(["请不要输入 HTML 标记（如 <a>、<script>）；文字会原样显示。"]);
    await customer.getByLabel("问题描述").fill("样品测试前未按约定恒温保存，结果偏差明显，要求免费重测。");
    await customer.getByLabel("证明材料（可选）").setInputFiles({ name: "记录.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html>not a pdf</html>") });
    await customer.getByRole("button", { name: "提交投诉" }).click();
    await expect.poll(() => customer.locator(".field-error").allTextContents()).toEqual(["只能上传 PDF、PNG 或 JPEG 文件。"]);
    await screenshot(customer, "trust-complaint-refused");
    await checkA11y(customer, "complaint form");

    await customer.getByLabel("证明材料（可选）").setInputFiles({ name: "温度记录.pdf", mimeType: "application/pdf", buffer: pdf("temperature log") });
    await Promise.all([customer.waitForURL(/\/complaints\/[0-9a-f-]{36}$/), customer.getByRole("button", { name: "提交投诉" }).click()]);
    const complaintUrl = customer.url();
    // The address changes before the new page is drawn: wait for its heading.
    await customer.locator("h1", { hasText: reference.match(/BK-[\w-]+/)![0] }).waitFor();
    expect(await customer.getByText("温度记录.pdf").count()).toBe(1);
    await screenshot(customer, "trust-complaint-filed");
    await checkA11y(customer, "complaint page");

    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/manage`);
    await staff.locator("a[href^='/manage/labs/']").first().click();
    await staff.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
    await staff.getByRole("link", { name: "投诉", exact: true }).click();
    await staff.waitForURL(/\/complaints$/);
    await screenshot(staff, "trust-complaints-lab");
    await checkA11y(staff, "lab complaints");
    await staff.locator(`a[href='${new URL(complaintUrl).pathname}']`).click();
    await staff.waitForURL(complaintUrl);
    await waitForHydration(staff);
    await staff.getByLabel("实验室答复").fill("已核查保存记录，确认恒温设备当日故障，同意免费重测。");
    await Promise.all([staff.waitForURL(complaintUrl), staff.getByRole("button", { name: "发送" }).click()]);
    await expect.poll(() => staff.getByText("实验室已答复").count()).toBeGreaterThan(0);

    const admin = await pageFor(demoLogins.platform_admin);
    await admin.goto(`${baseUrl}/admin/complaints`);
    await waitForHydration(admin);
    await admin.getByLabel("状态").selectOption("unresolved");
    await admin.getByLabel("排序").selectOption("oldest");
    await Promise.all([admin.waitForURL(/status=unresolved/), admin.getByRole("button", { name: "筛选" }).click()]);
    await screenshot(admin, "trust-complaints-inbox");
    await checkA11y(admin, "complaints inbox");
    await admin.locator(`a[href='${new URL(complaintUrl).pathname}']`).click();
    await admin.waitForURL(complaintUrl);
    await waitForHydration(admin);
    await admin.getByLabel("投诉成立").check();
    const reason = "实验室承认设备故障导致结果偏差，应免费重测。";
    await admin.getByLabel("理由（必填）").fill(reason);
    await Promise.all([admin.waitForURL(complaintUrl), admin.getByRole("button", { name: "提交处理决定" }).click()]);
    await expect.poll(() => admin.locator(".complaint-resolution").count()).toBe(1);

    await customer.goto(complaintUrl);
    const resolution = customer.locator(".complaint-resolution");
    expect(await resolution.textContent()).toContain("投诉成立");
    expect(await resolution.textContent()).toContain(reason);
    await screenshot(customer, "trust-complaint-resolved");
    await customer.goto(`${baseUrl}/complaints`);
    expect(await customer.locator("tbody tr").filter({ hasText: "投诉成立" }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
