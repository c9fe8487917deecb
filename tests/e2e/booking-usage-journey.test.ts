import ical from "node-ical";
import postgres from "postgres";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, launchBrowser, screenshot, signIn, viewports, waitForHydration } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

/**
 * A booking from request to usage record in Chromium: the customer books a slot and takes its
 * .ics; lab staff approve it, check it in through the QR code's page and check it out with the
 * usage form; the usage record holds what was entered.
 */
const baseUrl = inject("baseUrl");
const databaseUrl = inject("appDatabaseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
/** A customer the other journeys do not book with. */
const CUSTOMER = "customer@iccas.openlab.test";
const INSTRUMENT = "jem-2100f-zju-emlab";

/** A datetime-local value (Shanghai wall clock) for an instant. */
const localInput = (instant: Date) => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

describe.skipIf(!hasBrowser)("a booking from request to usage record in Chromium", () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  async function pageFor(email: string): Promise<Page> {
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

  it("books, downloads the invite, is approved, checked in and checked out with a usage record", async () => {
    const customer = await pageFor(CUSTOMER);
    // A week three to six weeks ahead, so repeated runs on one database spread out.
    const day = new Date(Date.now() + (21 + Math.floor(Math.random() * 21)) * 86_400_000).toISOString().slice(0, 10);
    await customer.goto(`${baseUrl}/instruments/${INSTRUMENT}?week=${day}`);
    const slot = customer.locator("#booking a.week-slot").first();
    await expect.poll(() => slot.count()).toBe(1);
    await Promise.all([customer.waitForURL(/\/book\?start=/), slot.click()]);
    const start = new Date(new URL(customer.url()).searchParams.get("start")!);
    await waitForHydration(customer);
    await customer.locator('[name="purpose"]').fill("透射电镜观察纳米颗粒形貌");
    await Promise.all([customer.waitForURL(/\/bookings\/[0-9a-f-]{36}$/), customer.getByRole("button", { name: "提交预约申请" }).click()]);
    const bookingPath = new URL(customer.url()).pathname;
    const bookingId = bookingPath.split("/")[2]!;
    await screenshot(customer, "usage-journey-booking");
    await checkA11y(customer, "booking page");

    // The invite on the booking page is a calendar entry a real parser reads.
    const invite = customer.locator(`a[href="${bookingPath}/invite.ics"]`);
    await expect.poll(() => invite.count()).toBe(1);
    const download = await customer.request.get(`${baseUrl}${bookingPath}/invite.ics`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toContain("text/calendar");
    const events = Object.values(ical.sync.parseICS(await download.text())).filter((c) => c?.type === "VEVENT") as ical.VEvent[];
    expect(events).toHaveLength(1);
    expect(events[0]!.start.getTime()).toBe(start.getTime());
    expect(String(events[0]!.uid)).toContain(bookingId);

    // Lab staff approve it from their queue.
    const staff = await pageFor(demoLogins.lab_staff);
    await staff.goto(`${baseUrl}/manage`);
    const lab = (await staff.locator("a[href^='/manage/labs/']").first().getAttribute("href"))!;
    await staff.goto(`${baseUrl}${lab}/bookings`);
    await waitForHydration(staff);
    await screenshot(staff, "usage-journey-queue");
    const csrf = await staff.locator("input[name='_csrf']").first().inputValue();
    const approved = await staff.request.post(`${baseUrl}${lab}/bookings`, { form: { _csrf: csrf, intent: "approve", bookingId }, maxRedirects: 0 });
    expect(approved.status()).toBeLessThan(400);

    // The QR code on the customer's page leads to the check-in page, where staff check in.
    await customer.reload();
    await expect.poll(() => customer.locator(".qr-code svg").count()).toBe(1);
    await screenshot(customer, "usage-journey-qr");
    await staff.goto(`${baseUrl}${bookingPath}/check-in`);
    await waitForHydration(staff);
    await Promise.all([
      staff.waitForResponse((r) => r.url().includes("/check-in") && r.request().method() === "POST"),
      staff.getByRole("button", { name: "签到" }).click(),
    ]);
    await screenshot(staff, "usage-journey-checked-in");

    // Check-out asks for the usage record.
    await staff.goto(`${baseUrl}${lab}/bookings/${bookingId}/check-out`);
    await waitForHydration(staff);
    await staff.locator('[name="startedAt"]').fill(localInput(start));
    await staff.locator('[name="endedAt"]').fill(localInput(new Date(start.getTime() + 30 * 60_000)));
    await staff.locator('[name="preparationMinutes"]').fill("5");
    await staff.locator('[name="measurementMinutes"]').fill("20");
    await staff.locator('[name="postProcessingMinutes"]').fill("3");
    await staff.locator('[name="idleMinutes"]').fill("2");
    await staff.locator('[name="samplesCount"]').fill("2");
    await screenshot(staff, "usage-journey-check-out");
    await checkA11y(staff, "check-out form");
    await Promise.all([staff.waitForURL((url) => !url.pathname.endsWith("/check-out")), staff.getByRole("button", { name: "保存使用记录并签退" }).click()]);

    await customer.reload();
    await expect.poll(() => customer.locator(".booking-status").first().textContent()).toBe("已完成");
    await screenshot(customer, "usage-journey-completed");
    if (databaseUrl) {
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      const [record] = await sql`select preparation_minutes, measurement_minutes, post_processing_minutes, idle_minutes, samples_count from usage_records where booking_id = ${bookingId}`;
      await sql.end();
      expect(record).toEqual({ preparation_minutes: 5, measurement_minutes: 20, post_processing_minutes: 3, idle_minutes: 2, samples_count: 2 });
    } else {
      await staff.goto(`${baseUrl}${lab}/bookings/${bookingId}/check-out`);
      await expect.poll(() => staff.locator("main").textContent()).toContain("使用记录");
    }
    expect(errors).toEqual([]);
  });
});
