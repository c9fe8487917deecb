import type { ActionFunctionArgs } from "@remix-run/node";
import { requireStripeEvent } from "~/accounts/authz.server";
import { receiveStripeEvent } from "~/billing/stripe.server";

/** Stripe's events (POST); a replay answers 200 and changes nothing. */
export async function action({ request }: ActionFunctionArgs) {
  const event = await requireStripeEvent(request);
  const outcome = await receiveStripeEvent(event, new Date());
  return Response.json({ received: true, outcome });
}
