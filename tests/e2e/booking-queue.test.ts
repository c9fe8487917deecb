import type { Page } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, screenshot, viewports, waitForHydration } from "../support/browser";
import { demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;

/** A weekday slot of the demo lab's opening hours (Shanghai), `days` ahead of today. */
function candidate(days: number, hour: number) {
  const day = new Date(Date.now() + days * 86_400_000);
  const ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(day);
  const hh = String(hour).padStart(2, "0");
  return { start: `${ymd}T${hh}:00:00+08:00`, end: `${ymd}T${hh}:30:00+08:00` };
}

/**
 * The customer asks for a slot through the booking route over HTTP (the e2e server has its own
 * database); several candidates, since earlier runs or holidays may have taken some.
 */
async function requestAsCustomer(page: Page): Promise<{ id: string; day: string }> {
  await page.goto(`${baseUrl}/labs/zju-emlab`);
  const href = await page.locator("main a[href^='/instruments/']").first().getAttribute("href");
  const slug = href!.split("/")[2]!.split("?")[0]!;
  const csrf = await page.locator("input[name='_csrf']").first().inputValue();
  for (let attempt = 0; attempt < 20; attempt++) {
    const slot = candidate(7 + Math.floor(Math.random() * 40), [9, 10, 14, 15, 16][attempt % 5]!);
    const response = await page.request.post(`${baseUrl}/instruments/${slug}/book`, {
      form: { _csrf: csrf, ...slot, purpose: "队列测试：SEM 形貌观察" },
      maxRedirects: 0,
    });
    const location = response.headers()["location"] ?? "";
    const match = location.match(/\/bookings\/([0-9a-f-]{36})$/);
    if (match) return { id: match[1]!, day: slot.start.slice(0, 10) };
  }
  throw new Error("no free slot found for the customer's request");
}

describe.skipIf(!hasBrowser)("lab staff answer booking requests in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("approves a pending request from the queue", async () => {
    const customerPage = await pageFor(demoLogins.customer);
    const { id: bookingId, day } = await requestAsCustomer(customerPage);
    const { id: refusedId } = await requestAsCustomer(customerPage);

    const page = await pageFor(demoLogins.lab_staff);
    await page.goto(`${baseUrl}/manage`);
    // 我的实验室 counts the requests waiting for an answer, and the count leads to them.
    const waiting = page.locator(".lab-work a", { hasText: "待审核" }).first();
    expect(Number(await waiting.locator("strong").textContent())).toBeGreaterThanOrEqual(2);
    await screenshot(page, "booking-queue-my-labs");
    await waiting.click();
    await page.waitForURL(/\/bookings#pending$/);
    await waitForHydration(page);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "待审核" }).count()).toBe(1);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "今日安排" }).count()).toBe(1);

    const row = page.locator(`tr:has(input[value="${bookingId}"])`);
    await expect.poll(() => row.count()).toBe(1);
    const reference = (await row.locator("td").nth(1).textContent())!.trim();
    expect(reference).toMatch(/^BK-\d{4}-\d+$/);
    await screenshot(page, "booking-queue-pending");
    // On a phone each request is a card, box and reference on one line, with nothing to scroll sideways.
    await page.setViewportSize(viewports.phone);
    const [boxCell, referenceCell] = await Promise.all([row.locator("td").nth(0).boundingBox(), row.locator("td").nth(1).boundingBox()]);
    expect(Math.abs(boxCell!.y - referenceCell!.y)).toBeLessThan(10);
    const wrap = page.locator(".table-wrap").first();
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    await screenshot(page, "booking-queue-pending-phone");
    await page.setViewportSize(viewports.desktop);
    await checkA11y(page, "booking queue");

    await row.getByRole("button", { name: `通过 ${reference}` }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`已通过预约 ${reference}`);
    await expect.poll(() => page.locator(`tr:has(input[value="${bookingId}"])`).count()).toBe(0);
    await screenshot(page, "booking-queue-approved");

    // Rejecting opens an inline form whose reason is required.
    const refused = page.locator(`tr:has(input[value="${refusedId}"])`);
    const refusedReference = (await refused.locator("td").nth(1).textContent())!.trim();
    await refused.locator("summary").click();
    await refused.getByLabel("拒绝原因").fill("该时段设备维护，请改约其他时间");
    await screenshot(page, "booking-queue-reject-form");
    await refused.getByRole("button", { name: "确认拒绝" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`已拒绝预约 ${refusedReference}`);
    await expect.poll(() => page.locator(`tr:has(input[value="${refusedId}"])`).count()).toBe(0);

    // The approved booking, found on its day's schedule, is withdrawn by the lab with a reason.
    await page.goto(`${baseUrl}${new URL(page.url()).pathname}?day=${day}#today`);
    await waitForHydration(page);
    const scheduled = page.locator("tr", { hasText: reference });
    await expect.poll(() => scheduled.count()).toBe(1);
    await scheduled.getByText("取消预约…").click();
    await scheduled.getByLabel("取消原因").fill("电镜灯丝更换，当天停机");
    await screenshot(page, "booking-queue-cancel-form");
    await scheduled.getByRole("button", { name: "确认取消预约" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain(`已取消预约 ${reference}`);
    await expect.poll(() => page.locator("tr", { hasText: reference }).count()).toBe(0);
    // The customer sees it cancelled, and why.
    await customerPage.goto(`${baseUrl}/bookings/${bookingId}`);
    await expect.poll(() => customerPage.locator(".booking-status").first().textContent()).toBe("已取消");
    expect(await customerPage.locator("main").textContent()).toContain("电镜灯丝更换，当天停机");
    expect(errors).toEqual([]);
  });

  it("checks out last week's session that was left in use, ending it when it was booked to end", async () => {
    const page = await pageFor(demoLogins.lab_staff);
    await page.goto(`${baseUrl}/manage`);
    const overdue = page.locator(".lab-work a", { hasText: "待签退" }).first();
    expect(Number(await overdue.locator("strong").textContent())).toBe(1);
    await overdue.click();
    await page.waitForURL(/\/bookings#unfinished$/);
    await waitForHydration(page);
    const table = page.locator("table", { has: page.locator("caption", { hasText: "尚未签退" }) });
    const row = table.locator("tbody tr").first();
    const reference = (await row.locator("td").nth(1).textContent())!.trim();
    expect(await row.getByText("使用中", { exact: true }).count()).toBe(1);
    await screenshot(page, "booking-queue-unfinished");
    await checkA11y(page, "booking queue with a session awaiting check-out");

    await row.getByRole("link", { name: `签退 ${reference}` }).click();
    await page.waitForURL(/\/check-out$/);
    await waitForHydration(page);
    // The form proposes the booked end, on its own day, not today's clock.
    const endedAt = await page.getByLabel("实际结束时间").inputValue();
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
    expect(endedAt.slice(0, 10) < today).toBe(true);
    expect(endedAt.slice(0, 10)).toBe((await page.getByLabel("实际开始时间").inputValue()).slice(0, 10));
    await page.getByLabel("准备（分钟）").fill("10");
    await page.getByLabel("测试（分钟）").fill("60");
    await page.getByLabel("数据处理（分钟）").fill("10");
    await page.getByLabel("样品数").fill("3");
    await page.getByRole("button", { name: "保存使用记录并签退" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/bookings"));
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain(reference);
    await expect.poll(() => page.getByRole("heading", { level: 2, name: "待签退" }).count()).toBe(0);

    // Tomorrow's schedule is a click away, and so is the way back.
    await page.getByRole("link", { name: "后一天 →" }).click();
    await page.waitForURL(/[?]day=\d{4}-\d{2}-\d{2}#today$/);
    await expect.poll(() => page.locator("h2#today").textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日星期.安排$/);
    await screenshot(page, "booking-queue-next-day");
    await page.getByRole("link", { name: "回到今天" }).click();
    await expect.poll(() => page.locator("h2#today").textContent()).toBe("今日安排");
    expect(errors).toEqual([]);
  });
});
