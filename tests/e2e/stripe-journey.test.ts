import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root, startAppServer, type AppServer } from "../support/app-server";
import { completeBooking, requestRandomSlot } from "../support/booking-steps";
import { checkA11y, chromiumExecutable, journeyBrowser, screenshot, waitForHydration } from "../support/browser";
import { createTestDatabase } from "../support/postgres";
import { demoLogins } from "../support/route-matrix";
import { startStripeFake, type StripeFake } from "../support/stripe-fake";

const hasBrowser = chromiumExecutable() !== undefined;
const COMPANY = "customer@huadong.openlab.test";

/**
 * The shared e2e server runs without Stripe, so this journey starts its own, configured with a
 * secret key, the webhook secret and the local stand-in for api.stripe.com.
 */
let fake: StripeFake;
let server: AppServer;
let databaseUrl = "";
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  if (!hasBrowser) return;
  fake = await startStripeFake();
  if (process.env.TEST_DATABASE_URL) {
    const database = await createTestDatabase(process.env.TEST_DATABASE_URL, "stripe");
    dropDatabase = database.drop;
    databaseUrl = database.url;
  }
  server = await startAppServer({
    databaseUrl: databaseUrl || undefined,
    env: { STRIPE_SECRET_KEY: "sk_test_openlab_e2e", STRIPE_WEBHOOK_SECRET: fake.secret, STRIPE_API_BASE: fake.url },
    logFile: path.join(root, ".cache/e2e-stripe-server.log"),
  });
  fake.webhookUrl = `${server.baseUrl}/stripe/webhook`;
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await dropDatabase?.();
});

describe.skipIf(!hasBrowser)("a company pays by Stripe Checkout in Chromium", () => {
  const session = journeyBrowser(() => server.baseUrl);
  const { errors, pageFor } = session;
  afterAll(() => session.close());

  it("the charge opens Checkout on the test server, the signed webhook settles it, a replay changes nothing", async () => {
    const baseUrl = server.baseUrl;
    const customer = await pageFor(COMPANY);
    const booking = await requestRandomSlot(customer, baseUrl, "jem-2100f-zju-emlab", "TEM 失效分析：在线支付测试");
    await completeBooking(await pageFor(demoLogins.lab_staff), baseUrl, booking, 90);

    await customer.goto(`${baseUrl}/charges`);
    const row = customer.locator("tr", { hasText: booking.reference });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole("link").first().click();
    await customer.waitForURL(/\/charges\/[0-9a-f-]{36}$/);
    const chargeId = new URL(customer.url()).pathname.split("/").pop()!;
    await expect.poll(() => customer.getByRole("heading", { level: 1 }).textContent()).toContain("待付款");
    await waitForHydration(customer);
    const payButton = customer.getByRole("button", { name: /^在线支付 ¥/ });
    const owed = (await payButton.textContent())!.replace("在线支付 ", "");
    await screenshot(customer, "stripe-charge-pay-online");
    await checkA11y(customer, "charge with online payment");

    // Checkout on the local stand-in for Stripe: the session asks for the outstanding amount in CNY.
    await Promise.all([customer.waitForURL((url) => url.origin === fake.url), payButton.click()]);
    const checkout = [...fake.sessions.values()].find((s) => s.params.get("metadata[chargeId]") === chargeId)!;
    expect(checkout.params.get("line_items[0][price_data][currency]")).toBe("cny");
    expect(checkout.amountFen).toBe(Math.round(Number(owed.replace(/[^0-9.]/g, "")) * 100));
    await screenshot(customer, "stripe-hosted-checkout");

    // Paying there posts checkout.session.completed, signed with the SDK's test header, to the webhook; the browser returns.
    await customer.getByRole("button", { name: "Pay" }).click();
    await customer.waitForURL((url) => url.origin === baseUrl && url.pathname === `/charges/${chargeId}` && url.searchParams.get("checkout") === "success");
    await expect.poll(() => customer.getByRole("heading", { level: 1 }).textContent()).toContain("已付清");
    const payments = customer.locator("main li", { hasText: "在线支付" });
    await expect.poll(() => payments.count()).toBe(1);
    expect(await payments.textContent()).toContain(owed);
    await screenshot(customer, "stripe-charge-paid");
    await checkA11y(customer, "paid charge");

    // The same event again is acknowledged and applied no second time; a forged signature is refused.
    const event = fake.paidEvent(checkout);
    expect((await fake.send(event)).status).toBe(200);
    expect((await fake.send(event)).status).toBe(200);
    const { body } = fake.sign(fake.paidEvent(checkout));
    const forged = await fetch(fake.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" }, body });
    expect(forged.status).toBe(400);
    await customer.reload();
    await expect.poll(() => payments.count()).toBe(1);
    if (databaseUrl) {
      const sql = postgres(databaseUrl, { max: 1 });
      try {
        const rows = await sql`select status, paid_fen from charges where id = ${chargeId}`;
        expect(rows.map((r) => [r.status, Number(r.paid_fen)])).toEqual([["paid", checkout.amountFen]]);
      } finally {
        await sql.end();
      }
    }
    expect(errors).toEqual([]);
  });
});
