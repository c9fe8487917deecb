import { mkdirSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { chromiumExecutable } from "./chromium";
import { DEMO_PASSWORD } from "./route-matrix";

export { chromiumExecutable };

/**
 * Browser helpers for the end-to-end tests: Debian's Chromium by default, an axe scan that fails on
 * serious or critical findings, screenshots, and the sign-in / outbox steps several journeys share.
 */

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * Axe scan of the current page; serious and critical findings fail the test (softly, so a journey
 * goes on and reports every page's findings), listed one per node. `exclude` takes CSS selectors,
 * e.g. a sandboxed iframe without scripts, into which axe cannot be injected.
 */
export async function checkA11y(page: Page, label: string, options: { exclude?: string[] } = {}) {
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  let timer: NodeJS.Timeout | undefined;
  const results = await Promise.race([
    builder.analyze(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`axe scan of ${label} did not finish within 30 s`)), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.flatMap((v) =>
    v.nodes.map((n) => `[${v.impact}] ${v.id}: ${v.help}\n    at ${n.target.join(" ")}\n    ${n.failureSummary?.replace(/\n/g, "\n    ") ?? ""}`),
  );
  expect.soft(report, `accessibility violations on ${label} (${page.url()}):\n${report.join("\n")}`).toEqual([]);
}

const screenshotDir = path.resolve("tests/e2e/screenshots");

export async function screenshot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until React has hydrated the page (its header carries React's fiber), so a click goes
 * through the app's client-side handlers rather than racing them.
 */
export async function waitForHydration(page: Page) {
  try {
    await page.waitForFunction(() => {
      const header = document.querySelector("header");
      return header !== null && Object.keys(header).some((k) => k.startsWith("__reactFiber$"));
    });
  } catch (error) {
    throw new Error(`${page.url()} never hydrated (did its scripts load and run?): ${error}`);
  }
}

/** Signs in through the login form and waits until the login page is left. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await waitForHydration(page);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login", { timeout: 15_000 }),
    page.getByRole("button", { name: /^(登录|Sign in)$/ }).click(),
  ]);
}

/** Opens the account menu in the header and presses its sign-out button. */
export async function signOut(page: Page) {
  await waitForHydration(page);
  const menu = page.locator("details.account-menu");
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator("summary").click();
  await menu.getByRole("button", { name: /^(退出登录|Sign out)$/ }).click();
  await expect.poll(() => page.locator("details.account-menu").count(), { timeout: 15_000 }).toBe(0);
}

/**
 * As a signed-in platform admin: waits (mail goes through a job) until the outbox lists a message
 * with this subject to this recipient, opens the newest one, and returns its HTML (the iframe's
 * srcdoc) followed by the text shown on the page.
 */
export async function readOutbox(page: Page, baseUrl: string, to: string, subject: string): Promise<string> {
  const row = () => page.locator("tr, li").filter({ hasText: to }).filter({ hasText: subject });
  await expect
    .poll(
      async () => {
        await page.goto(`${baseUrl}/admin/outbox`);
        return row().count();
      },
      { timeout: 30_000, interval: 500, message: `no "${subject}" for ${to} in the outbox` },
    )
    .toBeGreaterThan(0);
  await row().first().getByRole("link", { name: subject }).click();
  await page.waitForURL(/\/admin\/outbox\/[^/]+$/);
  // The URL changes before the message has rendered; its iframe marks the page as ready.
  const iframe = page.locator("iframe[srcdoc]");
  await iframe.waitFor();
  return `${await iframe.getAttribute("srcdoc")}\n${await page.locator("main").innerText()}`;
}

/** The first absolute link to `pathname` (with its query) in an HTML/text blob, entities decoded. */
export function findLink(content: string, pathname: string): string | undefined {
  const decoded = content.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x2F;/gi, "/").replace(/&#47;/g, "/");
  const escaped = pathname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return decoded.match(new RegExp(`https?://[^\\s"'<>]+${escaped}\\?[^\\s"'<>]+`))?.[0];
}

/**
 * Signed-in pages for a journey with several people, each in a browser context of its own
 * (desktop, zh-CN, downloads allowed); page errors are collected in `errors`. Call close() in
 * afterAll. `baseUrl` may be a function, for a server a test starts itself in beforeAll.
 */
export function journeyBrowser(baseUrl: string | (() => string)) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  return {
    errors,
    async pageFor(email: string): Promise<Page> {
      browser ??= await launchBrowser();
      const context = await browser.newContext({ viewport: viewports.desktop, locale: "zh-CN", acceptDownloads: true });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      await signIn(page, typeof baseUrl === "string" ? baseUrl : baseUrl(), email, DEMO_PASSWORD);
      return page;
    },
    async close() {
      for (const context of contexts.splice(0)) await context.close();
      await browser?.close();
      browser = undefined;
    },
  };
}
