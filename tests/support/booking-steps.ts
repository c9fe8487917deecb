import type { Page } from "playwright-core";
import { expect } from "vitest";
import { waitForHydration } from "./browser";

/**
 * Browser steps several journeys share: a customer requests a random slot a few weeks ahead, and
 * lab staff carry the booking to completion (approve, check in, check out), which makes its charge.
 */

export interface BookedSlot {
  path: string;
  id: string;
  reference: string;
}

/** Opens the booking form for a random free slot `minWeeks` to `minWeeks` + 3 weeks ahead. */
export async function openRandomSlot(customer: Page, baseUrl: string, slug: string, minWeeks = 2) {
  await customer.goto(`${baseUrl}/instruments/${slug}`);
  await waitForHydration(customer);
  const calendar = customer.locator("#booking");
  for (let i = 0, weeks = minWeeks + Math.floor(Math.random() * 4); i < weeks; i++) {
    const range = await calendar.locator(".week-range").textContent();
    await calendar.getByRole("link", { name: "下一周" }).click();
    await expect.poll(() => calendar.locator(".week-range").textContent()).not.toBe(range);
  }
  const slots = calendar.locator("a.week-slot");
  await expect.poll(() => slots.count()).toBeGreaterThan(0);
  await slots.nth(Math.floor(Math.random() * (await slots.count()))).click();
  await customer.waitForURL(new RegExp(`/instruments/${slug}/book\\?start=`));
  await waitForHydration(customer);
}

/** Requests a random free slot 2–5 weeks ahead from the instrument's page. */
export async function requestRandomSlot(customer: Page, baseUrl: string, slug: string, purpose: string): Promise<BookedSlot> {
  await openRandomSlot(customer, baseUrl, slug);
  await customer.getByLabel("使用目的").fill(purpose);
  await Promise.all([customer.waitForURL(/\/bookings\/[0-9a-f-]{36}$/), customer.getByRole("button", { name: "提交预约申请" }).click()]);
  // The URL changes before the booking page renders.
  await expect.poll(() => customer.getByRole("heading", { level: 1 }).textContent()).toMatch(/^预约 BK-\d{4}-\d+$/);
  const path = new URL(customer.url()).pathname;
  const reference = (await customer.getByRole("heading", { level: 1 }).textContent())!.replace("预约 ", "").trim();
  return { path, id: path.split("/").pop()!, reference };
}

/** As lab staff: from /manage to their first lab's booking queue, and approves the booking there; returns the lab's path. */
export async function approveFromQueue(staff: Page, baseUrl: string, reference: string): Promise<string> {
  await staff.goto(`${baseUrl}/manage`);
  await staff.locator("a[href^='/manage/labs/']").first().click();
  await staff.waitForURL(/\/manage\/labs\/[0-9a-f-]{36}$/);
  const labPath = new URL(staff.url()).pathname;
  await staff.goto(`${baseUrl}${labPath}/bookings`);
  await waitForHydration(staff);
  await staff.getByRole("button", { name: `通过 ${reference}` }).click();
  await expect.poll(() => staff.getByRole("status").textContent()).toContain(`已通过预约 ${reference}`);
  return labPath;
}

/** As lab staff of the instrument's lab: approve from the queue, check in, check out after `minutes` of measuring. */
export async function completeBooking(staff: Page, baseUrl: string, booking: BookedSlot, minutes: number) {
  const labPath = await approveFromQueue(staff, baseUrl, booking.reference);
  await staff.goto(`${baseUrl}${booking.path}/check-in`);
  await waitForHydration(staff);
  await staff.getByRole("button", { name: "签到" }).click();
  await expect.poll(() => staff.getByRole("status").textContent()).toContain("已签到");
  await staff.goto(`${baseUrl}${labPath}/bookings/${booking.id}/check-out`);
  await waitForHydration(staff);
  // Use began at check-in (the form's default start, Shanghai wall clock).
  const startedAt = await staff.getByLabel("实际开始时间").inputValue();
  const endedAt = new Date(Date.parse(`${startedAt}:00+08:00`) + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
  await staff.getByLabel("实际结束时间").fill(endedAt);
  await staff.getByLabel("测试（分钟）").fill(String(minutes));
  await staff.getByLabel("样品数").fill("1");
  await staff.getByRole("button", { name: "保存使用记录并签退" }).click();
  await staff.waitForURL((url) => !url.pathname.endsWith("/check-out"));
}

/** Opens the signed-in account menu and follows one of its links. */
export async function fromAccountMenu(page: Page, name: string) {
  await waitForHydration(page);
  await page.locator(".account-menu summary").click();
  await page.locator(".account-menu").getByRole("link", { name, exact: true }).click();
}
