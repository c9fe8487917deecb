import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnyone } from "~/accounts/authz.server";
import { i18nServer } from "~/lib/i18n.server";
import { parseStatsYear, PUBLIC_CACHE } from "~/reporting/stats-query";
import { publicStatistics } from "~/reporting/stats.server";

/** The public statistics as JSON (no cookies, no personal data), cacheable by shared caches. */
export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const query = parseStatsYear(new URL(request.url).searchParams, new Date());
  if (!query.ok) {
    const t = await i18nServer.getFixedT(request, "stats");
    return Response.json({ error: t(query.error.replace(/^stats:/, "")) }, { status: 400 });
  }
  return Response.json(await publicStatistics(query.year), { headers: { "Cache-Control": PUBLIC_CACHE } });
}
