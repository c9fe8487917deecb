import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { privateFeed } from "~/booking/calendar-feeds.server";

/**
 * /calendar/:token/openlab.ics — a private booking feed; the secret token is the authorisation
 * (calendar apps send no cookies). Unknown or revoked tokens are 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const feed = await privateFeed(params.token ?? "", new Date());
  if (feed === null) throw notFound();
  return new Response(feed, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="openlab.ics"',
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}
