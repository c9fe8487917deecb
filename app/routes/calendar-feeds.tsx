import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { flashNotice } from "~/accounts/auth.server";
import { requireLabStaff, requireUser } from "~/accounts/authz.server";
import { regenerateFeed } from "~/booking/calendar-feeds.server";
import { formOf } from "~/lib/form.server";
import { i18nServer } from "~/lib/i18n.server";

/** Nothing to show here: the feed boxes live on /account and on a lab's bookings page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return redirect("/account");
}

const feedSchema = z.object({ labId: z.string().uuid().optional() });

/** Makes a new private feed URL (the user's own, or a lab's for its staff) and revokes the old one. */
export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await formOf(request));
  const parsed = feedSchema.safeParse({ labId: form.labId || undefined });
  const labId = parsed.success ? (parsed.data.labId ?? null) : null;
  const viewer = labId ? await requireLabStaff(request, labId) : await requireUser(request);
  await regenerateFeed(viewer.id, labId);
  const t = await i18nServer.getFixedT(request, "calendars");
  return redirect(labId ? `/manage/labs/${labId}/bookings#feed-${labId}` : "/account#feed-own", {
    headers: { "Set-Cookie": await flashNotice(request, t("feed.created")) },
  });
}
