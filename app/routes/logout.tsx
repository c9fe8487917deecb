import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "~/accounts/auth.server";
import { allowAnyone } from "~/accounts/authz.server";

/** Signing out is a POST with the CSRF token, so no link or image elsewhere can do it. */
export async function action({ request }: ActionFunctionArgs) {
  await allowAnyone(request);
  return redirect("/", { headers: { "Set-Cookie": await signOut(request) } });
}

export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  return redirect("/");
}
