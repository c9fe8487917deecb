import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  checkA11y,
  chromiumExecutable,
  findLink,
  launchBrowser,
  readOutbox,
  screenshot,
  signIn,
  signOut,
  viewports,
  waitForHydration,
} from "../support/browser";
import { newCreditCode } from "../support/accounts";
import { HttpClient } from "../support/http";
import { DEMO_PASSWORD, demoLogins } from "../support/route-matrix";

const baseUrl = inject("baseUrl");
const wait = { timeout: 10_000 }; // for expect.poll, whose default is 1 s
// Under CI the global setup fails without a browser; elsewhere the browser part is skipped.
const hasBrowser = chromiumExecutable() !== undefined;

describe.skipIf(!hasBrowser)("accounts journey in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext | undefined;
  const scanned = new Set<string>();

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** A page that records script errors and CSP refusals, which the tests then assert away. */
  async function newPage(viewport: { width: number; height: number } = viewports.desktop, javaScriptEnabled = true) {
    context = await browser.newContext({ viewport, locale: "zh-CN", javaScriptEnabled });
    context.setDefaultTimeout(15_000); // a stuck step fails with its locator, well before the test times out
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
    });
    return { page, errors };
  }

  /** Axe scan once per distinct page (path + language). */
  async function scan(page: Page, label: string, exclude?: string[]) {
    const key = `${new URL(page.url()).pathname} ${await page.locator("html").getAttribute("lang")}`;
    if (scanned.has(key)) return;
    scanned.add(key);
    await checkA11y(page, label, { exclude });
  }

  it("serves the zh-CN home page with demo data at desktop and phone widths", async () => {
    for (const [name, viewport] of Object.entries(viewports)) {
      const { page, errors } = await newPage(viewport);
      const response = await page.goto(baseUrl);
      expect(response?.status()).toBe(200);
      await expect.poll(() => page.locator("html").getAttribute("lang"), wait).toBe("zh-CN");
      await expect.poll(() => page.getByRole("heading", { level: 1 }).count(), wait).toBe(1);
      expect(await page.locator(".card").count(), "featured instruments from the seed").toBeGreaterThan(0);
      await page.waitForLoadState("networkidle");
      await screenshot(page, `home-${name}`);
      await scan(page, `home (${name})`);
      expect(errors).toEqual([]);
      await context!.close();
      context = undefined;
    }
  });

  it("signs up, verifies the email from the outbox, signs in, switches to English and signs out", async () => {
    const { page, errors } = await newPage();
    const email = `e2e-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;
    const password = "Journey-Pass-2026!";
    const displayName = "测试";

    // Sign up without a company.
    await page.goto(baseUrl);
    await waitForHydration(page);
    await page.getByRole("link", { name: "注册" }).first().click();
    await page.waitForURL(/\/signup/);
    await waitForHydration(page);
    await scan(page, "signup");
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('input[name="displayName"]').fill(displayName);
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    await expect.poll(() => page.locator("details.account-menu summary").textContent(), wait).toBe(displayName);
    await screenshot(page, "account-new-user");
    await scan(page, "account");

    // Without a company, an instrument page says why booking is closed and leads to the form that registers one.
    await page.goto(`${baseUrl}/instruments/su8010-zju-emlab`);
    await waitForHydration(page);
    await page.locator(".booking-refusal").getByRole("link", { name: "登记所属企业" }).click();
    await page.waitForURL((url) => url.pathname === "/account" && url.hash === "#company");
    await page.locator('input[name="organizationName"]').fill("旅程测试科技有限公司");
    await page.locator('input[name="creditCode"]').fill(newCreditCode());
    await page.getByRole("button", { name: "登记企业" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), wait).toContain("已登记企业“旅程测试科技有限公司”");
    await expect.poll(() => page.getByRole("cell", { name: "旅程测试科技有限公司" }).count(), wait).toBe(2);
    await screenshot(page, "account-company-registered");
    // The address is what is left: a booking form opened directly says so.
    await page.goto(`${baseUrl}/instruments/su8010-zju-emlab/samples`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), wait).toBe("请先验证邮箱");
    await screenshot(page, "booking-refused-unverified");
    await signOut(page);

    // The platform admin reads the verification mail in the outbox.
    await signIn(page, baseUrl, demoLogins.platform_admin, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/admin/outbox`);
    await scan(page, "admin outbox");
    const message = await readOutbox(page, baseUrl, email, "请验证您的 OpenLab 邮箱");
    // The message's HTML sits in a script-less sandboxed iframe: it is the email, not the app's UI.
    await scan(page, "outbox message", ["iframe"]);
    // The HTML version is really rendered in its iframe, with the same link.
    const frame = page.frameLocator("iframe").locator("body");
    await expect.poll(() => frame.innerText(), wait).toContain("/verify-email?token=");
    await screenshot(page, "outbox-verification-message");
    const link = findLink(message, "/verify-email");
    expect(link, "verification link in the message").toBeDefined();
    expect(link!.startsWith(`${baseUrl}/verify-email?token=`), `link ${link} uses PUBLIC_URL`).toBe(true);
    await signOut(page);

    // The link verifies the address.
    const verified = await page.goto(link!);
    expect(verified?.status()).toBe(200);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), wait).toBe("邮箱验证成功");
    await screenshot(page, "verify-email-success");
    await scan(page, "verify-email");

    // Sign in as the new user and switch to English.
    await signIn(page, baseUrl, email, password);
    await scan(page, "after sign-in");
    await waitForHydration(page);
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => page.locator("html").getAttribute("lang"), wait).toBe("en");
    await expect.poll(() => page.getByRole("button", { name: "中文" }).count(), wait).toBe(1);
    await expect.poll(() => page.getByRole("navigation").first().getByRole("link", { name: "Instruments" }).count(), wait).toBe(1);
    await screenshot(page, "english");
    await scan(page, "English page");

    // Another device signed in as the same user, to be signed out below.
    const elsewhere = await browser.newContext({ viewport: viewports.phone, locale: "zh-CN" });
    const other = await elsewhere.newPage();
    await signIn(other, baseUrl, email, password);
    const signedOutThere = async () => {
      await other.goto(`${baseUrl}/account`);
      return new URL(other.url()).pathname;
    };
    expect(await signedOutThere()).toBe("/account");

    // The account page renames the user and changes the password.
    await page.goto(`${baseUrl}/account`);
    await waitForHydration(page);
    await page.locator('input[name="displayName"]').fill("Tester Renamed");
    await page.getByRole("button", { name: "Save name" }).click();
    await expect.poll(() => page.locator("details.account-menu summary").textContent(), wait).toBe("Tester Renamed");
    const newPassword = "Journey-Pass-2027!";
    const passwordForm = page.locator('form:has(input[name="intent"][value="password"])');
    await passwordForm.locator('input[name="currentPassword"]').fill(password);
    await passwordForm.locator('input[name="password"]').fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByText("Your password has been changed").count(), wait).toBe(1);
    // The passwords are not left in the form.
    await expect.poll(() => passwordForm.locator('input[name="currentPassword"]').inputValue(), wait).toBe("");
    expect(await passwordForm.locator('input[name="password"]').inputValue()).toBe("");
    await screenshot(page, "account-password-changed");
    await scan(page, "account settings");
    // The change signed the other device out, which is told why; this one stays signed in.
    expect(await signedOutThere()).toBe("/login");
    await expect.poll(() => other.getByText("您的登录已失效").count(), wait).toBe(1);
    await screenshot(other, "login-session-ended-phone");
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/account");

    // Signed in there again, then signed out from here with the button.
    await signIn(other, baseUrl, email, newPassword);
    expect(await signedOutThere()).toBe("/account");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Sign out all other devices" }).click();
    await expect.poll(() => page.getByText("You have been signed out on all other devices.").count(), wait).toBe(1);
    expect(await signedOutThere()).toBe("/login");
    await elsewhere.close();
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/account");

    // The address changes once the link sent to the new one is opened.
    const movedTo = `moved-${email}`;
    await waitForHydration(page);
    const emailForm = page.locator('form:has(input[name="intent"][value="email"])');
    await emailForm.locator('input[name="email"]').fill(movedTo);
    await emailForm.locator('input[name="currentPassword"]').fill(newPassword);
    await page.getByRole("button", { name: "Send confirmation email" }).click();
    await expect.poll(() => page.getByText(`A confirmation email has been sent to ${movedTo}`).count(), wait).toBe(1);
    expect(await page.locator("dl").getByText(email, { exact: true }).count(), "the address stays until confirmed").toBe(1);
    await signOut(page);
    await signIn(page, baseUrl, demoLogins.platform_admin, DEMO_PASSWORD);
    const confirmation = findLink(await readOutbox(page, baseUrl, movedTo, "Confirm your new OpenLab email address"), "/confirm-email");
    expect(confirmation, "confirmation link in the message").toBeDefined();
    await signOut(page);
    const confirmed = await page.goto(confirmation!);
    expect(confirmed?.status()).toBe(200);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), wait).toBe("Email address changed");
    await screenshot(page, "confirm-email-success");
    await scan(page, "confirm-email");
    await signIn(page, baseUrl, movedTo, newPassword);
    await page.goto(`${baseUrl}/account`);
    expect(await page.locator("dl").getByText(movedTo, { exact: true }).count()).toBe(1);

    await signOut(page);
    await expect.poll(() => page.getByRole("link", { name: "Sign in" }).count(), wait).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it("an org admin invites a colleague, who signs up with the invited address and joins the company, then makes them an admin", async () => {
    const { page, errors } = await newPage();
    const colleague = `e2e-colleague-${Date.now().toString(36)}@example.test`;
    const password = "Journey-Pass-2026!";

    await signIn(page, baseUrl, demoLogins.org_admin, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/account`);
    await waitForHydration(page);
    await page.getByRole("link", { name: "成员管理" }).click();
    await page.waitForURL(/\/organizations\/[0-9a-f-]{36}\/members$/);
    await waitForHydration(page);
    await scan(page, "members");
    await page.locator('input[name="email"]').fill(colleague);
    await page.getByRole("button", { name: "发送邀请" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), wait).toBe(`邀请已发送至 ${colleague}。`);
    await expect.poll(() => page.locator(".invitation-list li").filter({ hasText: colleague }).count(), wait).toBe(1);
    await screenshot(page, "members-invited");
    await signOut(page);

    // The invitation mail, read in the outbox.
    await signIn(page, baseUrl, demoLogins.platform_admin, DEMO_PASSWORD);
    const message = await readOutbox(page, baseUrl, colleague, "邀请您加入 OpenLab 上的单位");
    const link = /https?:\/\/[^\s"'<>]+\/invitations\/[A-Za-z0-9_-]{43}/.exec(message.replace(/&#x2F;/gi, "/"))?.[0];
    expect(link, "invitation link in the message").toBeDefined();
    await signOut(page);

    // The colleague opens it, signs up with that address and accepts.
    await page.goto(link!);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), wait).toBe("单位成员邀请");
    await page.getByRole("link", { name: "没有账户？用该邮箱注册" }).click();
    await page.waitForURL(/\/signup/);
    await waitForHydration(page);
    // The sign-up form has the invited address, and brings the new account back to the invitation.
    expect(await page.locator('input[name="email"]').inputValue()).toBe(colleague);
    await page.locator('input[name="password"]').fill(password);
    await page.locator('input[name="displayName"]').fill("新同事");
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/invitations/"));
    await waitForHydration(page);
    await page.getByRole("button", { name: "接受邀请" }).click();
    await page.waitForURL((url) => url.pathname === "/instruments");
    await expect.poll(() => page.getByRole("status").first().textContent(), wait).toBe("您已加入该单位。");
    await page.goto(`${baseUrl}/account`);
    await expect.poll(() => page.getByRole("cell", { name: "杭州微纳科技有限公司" }).count(), wait).toBe(1);
    await screenshot(page, "member-joined");
    await signOut(page);

    // The admin makes the colleague a second admin.
    await signIn(page, baseUrl, demoLogins.org_admin, DEMO_PASSWORD);
    await page.goto(`${baseUrl}/account`);
    await page.getByRole("link", { name: "成员管理" }).click();
    await page.waitForURL(/\/members$/);
    await waitForHydration(page);
    await page.getByRole("button", { name: "将 新同事 设为管理员" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), wait).toContain("已设为机构管理员");
    const row = page.locator("tr", { hasText: colleague });
    await expect.poll(() => row.locator("td").nth(1).textContent(), wait).toBe("用户、机构管理员");
    expect(await row.getByRole("button", { name: "取消 新同事 的管理员身份" }).count()).toBe(1);
    await screenshot(page, "member-promoted");
    expect(errors).toEqual([]);
  });

  it("signs in and out with plain HTML forms, before or without JavaScript", async () => {
    const { page } = await newPage(viewports.desktop, false);
    await page.goto(`${baseUrl}/login`);
    await page.locator('input[name="email"]').fill(demoLogins.customer);
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    const [signedIn] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login"),
      page.getByRole("button", { name: "登录", exact: true }).click(),
    ]);
    expect(signedIn.status(), "POST /login from a page without JavaScript").toBe(302);
    await page.waitForURL((url) => url.pathname !== "/login");
    await page.locator("details.account-menu summary").click();
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect.poll(() => page.locator("details.account-menu").count(), wait).toBe(0);
  });
});

describe("request edge cases", () => {
  it("refuses a POST to /login without a CSRF token with 403", async () => {
    const client = new HttpClient(baseUrl);
    await client.csrfToken("/login"); // a session with a token exists; the form just omits it
    const withSession = await client.post("/login", { email: demoLogins.customer, password: DEMO_PASSWORD }, null);
    expect(withSession.status).toBe(403);
    const wrongToken = await client.post("/login", { email: demoLogins.customer, password: DEMO_PASSWORD, _csrf: "forged" }, null);
    expect(wrongToken.status).toBe(403);
    const noSession = await new HttpClient(baseUrl).post("/login", { email: demoLogins.customer, password: DEMO_PASSWORD }, null);
    expect(noSession.status).toBe(403);
    // Nothing happened: the client with a session is still anonymous.
    expect(await (await client.get("/")).text()).not.toContain('class="account-menu"');
  });

  it("treats a tampered session cookie as anonymous, not as an error", async () => {
    const client = new HttpClient(baseUrl);
    await client.signIn(demoLogins.customer, DEMO_PASSWORD);
    const cookie = client.cookies.get("__session");
    expect(cookie).toBeTruthy();
    // Flip one character of the signed payload: the signature no longer matches.
    const i = Math.floor(cookie!.length / 3);
    const tampered = cookie!.slice(0, i) + (cookie![i] === "A" ? "B" : "A") + cookie!.slice(i + 1);
    for (const value of [tampered, "garbage", "e30%3D.invalidsignature"]) {
      const response = await fetch(`${baseUrl}/`, { headers: { cookie: `__session=${value}` }, redirect: "manual" });
      expect(response.status, `__session=${value.slice(0, 20)}…`).toBe(200);
      const html = await response.text();
      expect(html).toMatch(/<a[^>]*href="\/login"[^>]*>登录<\/a>/);
      expect(html).not.toContain('class="account-menu"');
    }
    const account = await fetch(`${baseUrl}/account`, { headers: { cookie: `__session=${tampered}` }, redirect: "manual" });
    expect(account.status).toBe(302);
    expect(account.headers.get("location")).toMatch(/^\/login/);
  });
});
