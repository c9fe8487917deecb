import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { allowAnyone } from "~/accounts/authz.server";
import { safeRedirect } from "~/accounts/schemas";
import { setUserLocale } from "~/accounts/users.server";
import { formOf } from "~/lib/form.server";
import { supportedLanguages } from "~/lib/i18n";
import { localeCookie } from "~/lib/i18n.server";
import { parseForm } from "~/lib/validation";

const schema = z.object({
  lng: z.enum(supportedLanguages),
  // Only paths on this site, never another origin (`//x` and `/\x` are other origins to a browser).
  redirectTo: z
    .string()
    .catch("/")
    .transform((value) => safeRedirect(value, "/")),
});

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await allowAnyone(request);
  const parsed = parseForm(schema, await formOf(request));
  if (!parsed.ok) return redirect("/");
  if (viewer) await setUserLocale(viewer.id, parsed.data.lng);
  return redirect(parsed.data.redirectTo, {
    headers: { "Set-Cookie": await localeCookie.serialize(parsed.data.lng) },
  });
}

export async function loader({ request }: ActionFunctionArgs) {
  await allowAnyone(request);
  return redirect("/");
}
