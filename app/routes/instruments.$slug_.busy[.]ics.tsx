import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { instrumentBusyFeed } from "~/booking/calendar-feed.server";
import { env } from "~/lib/env.server";

/** /instruments/:slug/busy.ics — a public calendar subscription of when the instrument is taken. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const origin = env().PUBLIC_URL ?? new URL(request.url).origin;
  const feed = await instrumentBusyFeed(params.slug ?? "", new Date(), origin);
  if (feed === null) throw notFound();
  return new Response(feed, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${params.slug}-busy.ics"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
