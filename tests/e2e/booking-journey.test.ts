import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, journeyBrowser, launchBrowser, screenshot, signIn, viewports, waitForHydration } from "../support/browser";
import { approveFromQueue } from "../support/booking-steps";
import { parseInvite } from "../support/mail";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const appDatabaseUrl = inject("appDatabaseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
/** The booking the first journey made, which the second one carries through to its usage record. */
let booked: { path: string; reference: string } | undefined;

/** Moves the instrument page's calendar `weeks` weeks on with its own "next week" link. */
async function laterWeek(page: Page, weeks: number) {
  const calendar = page.locator("#booking");
  for (let i = 0; i < weeks; i++) {
    const before = page.url();
    const range = await calendar.locator(".week-range").textContent();
    await calendar.getByRole("link", { name: "下一周" }).click();
    await page.waitForURL((url) => url.toString() !== before && url.searchParams.has("week"));
    // The URL changes before the new week renders.
    await expect.poll(() => calendar.locator(".week-range").textContent()).not.toBe(range);
  }
}

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
    await laterWeek(page, 3 + Math.floor(Math.random() * 4));
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
    // On a phone each booking is a card: its reference on one line, level with its status.
    await page.setViewportSize(viewports.phone);
    const [referenceBox, statusBox] = await Promise.all([row.locator("td").nth(0).boundingBox(), row.locator("td").nth(3).boundingBox()]);
    expect(referenceBox!.height).toBeLessThan(30);
    expect(Math.abs(referenceBox!.y - statusBox!.y)).toBeLessThan(10);
    await screenshot(page, "booking-journey-my-bookings-phone");
    await page.setViewportSize(viewports.desktop);
    // The list opens on what is under way; the ended tab does not hold the new request.
    expect(await page.locator(".tab-active").textContent()).toContain("进行中");
    await page.getByRole("link", { name: /^已结束/ }).click();
    await page.waitForURL(/\/bookings\?view=history$/);
    await expect.poll(() => page.locator(".tab-active").textContent()).toContain("已结束");
    expect(await page.locator(`tr:has(a[href="${bookingPath}"])`).count()).toBe(0);
    expect(errors).toEqual([]);
    booked = { path: bookingPath, reference };
  });

  it("books again from the booking page: a new time, the earlier purpose and project reference", async () => {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    await page.goto(`${baseUrl}${booked!.path}`);
    await waitForHydration(page);
    await page.getByRole("link", { name: "再次预约" }).click();
    await page.waitForURL(/\/instruments\/jem-2100f-zju-emlab\?rebook=/);
    await waitForHydration(page);
    const calendar = page.locator("#booking");
    expect(await calendar.locator(".rebook-notice").textContent()).toContain(booked!.reference);
    // Other weeks than the first journey's, and the booking being repeated goes along.
    await laterWeek(page, 7 + Math.floor(Math.random() * 2));
    expect(new URL(page.url()).searchParams.get("rebook")).toBe(booked!.path.split("/").pop());
    const slot = calendar.locator("a.week-slot").first();
    await expect.poll(() => slot.count()).toBe(1);
    await slot.click();
    await page.waitForURL(/\/book\?start=.*&rebook=/);
    await waitForHydration(page);
    expect(await page.getByLabel("使用目的").inputValue()).toBe("TEM 高分辨成像：纳米颗粒晶格条纹");
    expect(await page.getByLabel("项目或课题编号（可选）").inputValue()).toBe("NSFC-22071234");
    expect(await page.locator(".rebook-notice").textContent()).toContain(booked!.reference);
    await screenshot(page, "booking-journey-rebook-form");
    await Promise.all([page.waitForURL(/\/bookings\/[0-9a-f-]{36}$/), page.getByRole("button", { name: "提交预约申请" }).click()]);
    expect(new URL(page.url()).pathname).not.toBe(booked!.path);
    await expect.poll(() => page.locator(".facts").textContent()).toContain("TEM 高分辨成像：纳米颗粒晶格条纹");
    expect(await page.locator(".facts").textContent()).toContain("NSFC-22071234");
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasBrowser)("the booking goes on to its .ics invite, approval, check-in and usage record in Chromium", () => {
  const session = journeyBrowser(baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("the customer downloads the invite, the lab approves, checks in and out, the customer sees the usage record", async () => {
    expect(booked, "the booking journey above made a booking").toBeDefined();
    const { path, reference } = booked!;
    const bookingId = path.split("/").pop()!;

    // The invite a calendar program would import: one event, METHOD REQUEST, the booking's UID.
    const customer = await pageFor(demoLogins.customer);
    await customer.goto(`${baseUrl}${path}`);
    const [download] = await Promise.all([customer.waitForEvent("download"), customer.getByRole("link", { name: "添加到日历 (.ics)" }).click()]);
    const invite = parseInvite(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8")));
    expect(invite.method).toBe("REQUEST");
    expect(invite.events).toHaveLength(1);
    expect(String(invite.event.summary)).toContain(reference);

    // The lab approves it from the queue.
    const staff = await pageFor(demoLogins.lab_staff);
    const labPath = await approveFromQueue(staff, baseUrl, reference);

    // The customer's page now carries the QR code whose page checks the booking in.
    await customer.reload();
    await expect.poll(() => customer.locator(".booking-status").first().textContent()).toBe("已确认");
    await expect.poll(() => customer.locator(".qr-code svg").count()).toBe(1);
    await screenshot(customer, "booking-usage-qr");

    // Lab staff scan it: the check-in page, then check-out with the usage record.
    await staff.goto(`${baseUrl}${path}/check-in`);
    await waitForHydration(staff);
    await staff.getByRole("button", { name: "签到" }).click();
    await expect.poll(() => staff.getByRole("status").textContent()).toContain("已签到");
    await staff.goto(`${baseUrl}${labPath}/bookings/${bookingId}/check-out`);
    await waitForHydration(staff);
    // Use began at check-in (the form's default start); it ended 45 minutes later.
    const startedAt = await staff.getByLabel("实际开始时间").inputValue();
    const endedAt = new Date(Date.parse(`${startedAt}:00+08:00`) + 45 * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    await staff.getByLabel("实际结束时间").fill(endedAt);
    await staff.getByLabel("准备（分钟）").fill("10");
    await staff.getByLabel("测试（分钟）").fill("15");
    await staff.getByLabel("数据处理（分钟）").fill("5");
    await staff.getByLabel("样品数").fill("2");
    await screenshot(staff, "booking-usage-check-out");
    await staff.getByRole("button", { name: "保存使用记录并签退" }).click();
    await staff.waitForURL((url) => !url.pathname.endsWith("/check-out"));

    await customer.reload();
    await expect.poll(() => customer.locator(".booking-status").first().textContent()).toBe("已完成");
    const record = customer.locator(".usage-record");
    await expect.poll(() => record.textContent()).toContain("30 分钟");
    expect(await record.textContent()).toContain("有效工作机时");
    await screenshot(customer, "booking-usage-record");
    await checkA11y(customer, "booking with its usage record");

    // On a Postgres server the test reads the row itself (PGlite belongs to the server process).
    if (appDatabaseUrl) {
      const sql = postgres(appDatabaseUrl, { max: 1 });
      try {
        const rows = await sql`select preparation_minutes + measurement_minutes + post_processing_minutes as effective, samples_count from usage_records where booking_id = ${bookingId}`;
        expect(rows.map((r) => [Number(r.effective), r.samples_count])).toEqual([[30, 2]]);
      } finally {
        await sql.end();
      }
    }
    expect(errors).toEqual([]);
  });
});
