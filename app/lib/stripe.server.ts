// The Stripe client, configured once from the environment. Without STRIPE_SECRET_KEY the platform
// settles offline only and every Stripe control stays hidden.
import Stripe from "stripe";
import { env } from "./env.server";

let cached: { key: string; base: string | undefined; client: Stripe } | undefined;

export function stripeEnabled(): boolean {
  return Boolean(env().STRIPE_SECRET_KEY);
}

/** STRIPE_API_BASE (e.g. a local test server) replaces api.stripe.com; nothing else changes. */
export function stripeClient(): Stripe {
  const { STRIPE_SECRET_KEY: key, STRIPE_API_BASE: base } = env();
  if (!key) throw new Error("STRIPE_SECRET_KEY is not set");
  if (cached?.key !== key || cached.base !== base) {
    const url = base ? new URL(base) : undefined;
    const client = new Stripe(key, {
      maxNetworkRetries: 2,
      ...(url
        ? {
            host: url.hostname,
            port: url.port || (url.protocol === "https:" ? 443 : 80),
            protocol: url.protocol === "https:" ? "https" : "http",
          }
        : {}),
    });
    cached = { key, base, client };
  }
  return cached.client;
}

/** The webhook's signing secret; the webhook refuses every event without one. */
export function stripeWebhookSecret(): string | undefined {
  return env().STRIPE_WEBHOOK_SECRET;
}

/** The event when the signature over the raw body is Stripe's (made with our webhook secret); else null. */
export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event | null {
  const secret = stripeWebhookSecret();
  if (!secret || !signature || !stripeEnabled()) return null;
  try {
    return stripeClient().webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    return null;
  }
}
