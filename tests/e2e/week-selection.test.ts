import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkA11y, chromiumExecutable, launchBrowser, screenshot, signIn, viewports, waitForHydration } from "../support/browser";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const hasBrowser = chromiumExecutable() !== undefined;
const SLUG = "jem-2100f-zju-emlab";

/** The slot a calendar link books (its start and end parameters). */
async function linkSlot(link: Locator) {
  const href = new URL((await link.getAttribute("href"))!, baseUrl);
  return { start: href.searchParams.get("start")!, end: href.searchParams.get("end")! };
}

/**
 * Three adjacent free slots of one day (cells of one free span: each ends where the next starts),
 * in a week 2–5 weeks ahead so that bookings made by other tests rarely take them.
 */
async function threeFreeSlots(page: Page): Promise<Locator[]> {
  const calendar = page.locator("#booking");
  for (let weeks = 2 + Math.floor(Math.random() * 3); weeks < 9; weeks++) {
    const date = new Date(Date.now() + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${baseUrl}/instruments/${SLUG}?week=${date}`);
    await waitForHydration(page);
    for (let day = 0; day < 7; day++) {
      const cells = calendar.locator(`a.week-slot[data-day="${day}"]`);
      const count = await cells.count();
      for (let i = 0; i + 2 < count; i++) {
        const [a, b, c] = [cells.nth(i), cells.nth(i + 1), cells.nth(i + 2)];
        const [sa, sb, sc] = await Promise.all([linkSlot(a), linkSlot(b), linkSlot(c)]);
        if (sa.end === sb.start && sb.end === sc.start) return [a, b, c];
      }
    }
  }
  throw new Error("no three adjacent free slots in the weeks ahead");
}

async function expectForm(page: Page, slot: { start: string; end: string }) {
  await page.waitForURL(/\/instruments\/jem-2100f-zju-emlab\/book\?start=/);
  await waitForHydration(page);
  const form = page.locator("#booking-request");
  expect(await form.locator('input[name="start"]').inputValue()).toBe(slot.start);
  expect(await form.locator('input[name="end"]').inputValue()).toBe(slot.end);
}

describe.skipIf(!hasBrowser)("choosing a booking of several slots in the week calendar", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN" });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    await signIn(page, baseUrl, demoLogins.customer, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it("drags with the mouse across three free slots and books their whole span", async () => {
    const [first, , third] = await threeFreeSlots(page);
    expect(await page.locator("#week-help").innerText()).toMatch(/^按住鼠标拖过多个空闲时段/);
    const expected = { start: (await linkSlot(first!)).start, end: (await linkSlot(third!)).end };
    // Mouse coordinates are the viewport's: bring the slots into view first.
    await third!.scrollIntoViewIfNeeded();
    await first!.scrollIntoViewIfNeeded();
    const from = (await first!.boundingBox())!;
    const to = (await third!.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, to.y + to.height / 2, { steps: 8 });
    await page.mouse.up();
    const book = page.getByRole("link", { name: "预约所选时段" });
    await expect.poll(() => book.count()).toBe(1);
    expect(await page.locator(".week-selection").textContent()).toContain("90 分钟");
    expect(await page.locator(".week-slot-selected").count()).toBe(3);
    await screenshot(page, "week-selection-drag");
    await checkA11y(page, "week calendar with a selection");
    await book.click();
    await expectForm(page, expected);
    await screenshot(page, "week-selection-drag-form");
  });

  it("moves with the arrow keys, extends with Shift+arrows and picks with Enter", async () => {
    const [first, second, third] = await threeFreeSlots(page);
    const expected = { start: (await linkSlot(second!)).start, end: (await linkSlot(third!)).end };
    await first!.focus();
    await page.keyboard.press("ArrowDown");
    expect(await second!.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Shift+ArrowDown");
    expect(await third!.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.locator(".week-slot-selected").count()).toBe(2);
    expect(await third!.getAttribute("aria-current")).toBe("true");
    await expect.poll(() => page.locator(".week-selection").textContent()).toContain("60 分钟");
    await screenshot(page, "week-selection-keyboard");
    await page.keyboard.press("Enter");
    await expectForm(page, expected);
    expect(errors).toEqual([]);
  });

  it("shows one day at a time on a phone, each free slot a link", async () => {
    const phone = await browser.newContext({ viewport: viewports.phone, locale: "zh-CN", javaScriptEnabled: false });
    try {
      const p = await phone.newPage();
      await p.goto(`${baseUrl}/instruments/${SLUG}`);
      const days = p.locator(".week-day");
      expect(await days.count()).toBe(7);
      const widths = await days.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width));
      const panel = await p.locator(".week-days").evaluate((el) => el.getBoundingClientRect().width);
      expect(widths.every((w) => Math.abs(w - panel) < 2)).toBe(true);
      await screenshot(p, "week-selection-phone-no-js");
    } finally {
      await phone.close();
    }
  });

  it("opens a phone's day view on the week's first day with a free slot, with help for a finger", async () => {
    const phone = await browser.newContext({ viewport: viewports.phone, locale: "zh-CN", hasTouch: true, isMobile: true });
    try {
      const p = await phone.newPage();
      // This week: the days before today (and today after hours) have no free slot left.
      await p.goto(`${baseUrl}/instruments/${SLUG}`);
      await waitForHydration(p);
      const firstFree = await p.locator(".week-day").evaluateAll((days) => days.findIndex((day) => day.querySelector("a.week-slot") !== null));
      const shown = () => p.locator(".week-days").evaluate((el) => Math.round(el.scrollLeft / el.clientWidth));
      await expect.poll(shown).toBe(Math.max(0, firstFree));
      // Dragging and arrow keys mean nothing to a finger.
      expect(await p.locator("#week-help").innerText()).toBe("点按空闲时段即可预约。");
      await screenshot(p, "week-selection-phone-first-free-day");
    } finally {
      await phone.close();
    }
  });
});
