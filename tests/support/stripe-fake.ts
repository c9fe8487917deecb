// A stand-in for api.stripe.com on a local port: the real SDK is pointed at it (STRIPE_API_BASE).
// It answers the calls the app makes (Checkout sessions, refunds), serves a page standing in for
// Stripe's hosted checkout, and sends webhook events signed with the SDK's own test-header helper.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { fenToYuanString } from "../../app/lib/money";

/** The values of an array parameter as the SDK encodes it (`name[0]=a&name[1]=b`). */
export const arrayParam = (params: URLSearchParams, name: string) =>
  [...params].filter(([key]) => key.startsWith(`${name}[`)).map(([, value]) => value);

export interface FakeSession {
  id: string;
  params: URLSearchParams;
  amountFen: number;
  paymentIntent: string;
  successUrl: string;
}

export interface StripeFake {
  url: string;
  secret: string;
  sessions: Map<string, FakeSession>;
  refunds: { id: string; params: URLSearchParams }[];
  /** Where webhook events go (the app's /stripe/webhook). */
  webhookUrl: string;
  /** A signed event body and its Stripe-Signature header. */
  sign(event: object): { body: string; signature: string };
  /** Builds a Stripe event around `object`. */
  event(type: string, object: object): Stripe.Event;
  /** The events of a paid Checkout session and, optionally, of a refund after it. */
  paidEvent(session: FakeSession, type?: "checkout.session.completed" | "checkout.session.async_payment_succeeded"): Stripe.Event;
  refundedEvent(session: FakeSession, amountRefundedFen: number): Stripe.Event;
  send(event: object): Promise<Response>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });

let counter = 0;
const nextId = (prefix: string) => `${prefix}_test_${Date.now().toString(36)}${(counter++).toString(36).padStart(4, "0")}`;

export async function startStripeFake(options: { secret?: string; webhookUrl?: string } = {}): Promise<StripeFake> {
  const secret = options.secret ?? "whsec_openlab_test_secret";
  const sdk = new Stripe("sk_test_fake");
  const sessions = new Map<string, FakeSession>();
  const refunds: StripeFake["refunds"] = [];

  const fake: StripeFake = {
    url: "",
    secret,
    sessions,
    refunds,
    webhookUrl: options.webhookUrl ?? "",
    sign(event) {
      const body = JSON.stringify(event);
      return { body, signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret }) };
    },
    event(type, object) {
      return { id: nextId("evt"), object: "event", type, api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: null, data: { object } } as unknown as Stripe.Event;
    },
    paidEvent(session, type = "checkout.session.completed") {
      return fake.event(type, {
        id: session.id,
        object: "checkout.session",
        amount_total: session.amountFen,
        currency: "cny",
        payment_status: "paid",
        status: "complete",
        payment_intent: session.paymentIntent,
        client_reference_id: session.params.get("client_reference_id"),
        metadata: { chargeId: session.params.get("metadata[chargeId]") },
      });
    },
    refundedEvent(session, amountRefundedFen) {
      return fake.event("charge.refunded", {
        id: `ch_${session.paymentIntent.slice(3)}`,
        object: "charge",
        amount: session.amountFen,
        amount_refunded: amountRefundedFen,
        currency: "cny",
        payment_intent: session.paymentIntent,
        refunded: amountRefundedFen === session.amountFen,
      });
    },
    async send(event) {
      const { body, signature } = fake.sign(event);
      return fetch(fake.webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const json = (res: import("node:http").ServerResponse, status: number, body: object) => {
    res.writeHead(status, { "content-type": "application/json", "request-id": nextId("req") });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", fake.url);
    const body = await readBody(req);
    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      const params = new URLSearchParams(body);
      const id = nextId("cs");
      const amountFen = Number(params.get("line_items[0][price_data][unit_amount]"));
      const session: FakeSession = { id, params, amountFen, paymentIntent: nextId("pi"), successUrl: params.get("success_url") ?? "" };
      sessions.set(id, session);
      return json(res, 200, {
        id,
        object: "checkout.session",
        amount_total: amountFen,
        currency: "cny",
        mode: "payment",
        payment_status: "unpaid",
        status: "open",
        payment_intent: null,
        url: `${fake.url}/pay/${id}`,
      });
    }
    if (req.method === "POST" && url.pathname === "/v1/refunds") {
      const params = new URLSearchParams(body);
      const id = nextId("re");
      refunds.push({ id, params });
      return json(res, 200, { id, object: "refund", amount: Number(params.get("amount")), payment_intent: params.get("payment_intent"), status: "succeeded", currency: "cny" });
    }
    // The stand-in for Stripe's hosted page: one button pays, then the browser returns to the app.
    const pay = /^\/pay\/(cs_[\w]+)$/.exec(url.pathname);
    const session = pay ? sessions.get(pay[1]!) : undefined;
    if (pay && session && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Stripe Checkout (test)</title></head><body><main><h1>Stripe Checkout (test)</h1>` +
          `<p>¥${fenToYuanString(session.amountFen)} · ${arrayParam(session.params, "allowed_payment_method_types").join(" / ")}</p>` +
          `<form method="post"><button type="submit">Pay</button></form></main></body></html>`,
      );
    }
    if (pay && session && req.method === "POST") {
      const answer = await fake.send(fake.paidEvent(session));
      if (!answer.ok) return json(res, 502, { error: `webhook answered ${answer.status}` });
      res.writeHead(303, { location: session.successUrl });
      return res.end();
    }
    json(res, 404, { error: { type: "invalid_request_error", message: `no route ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
