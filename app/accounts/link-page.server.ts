import { data } from "@remix-run/node";
import { i18nServer } from "~/lib/i18n.server";
import type { Viewer } from "./permissions";

type LinkResult = { ok: true } | { ok: false; problem: string };

/**
 * The loader of a page an emailed account link opens: a GET uses up the token once (mail clients
 * open links, they do not post forms) and the page says what happened, with 400 when it could not.
 */
export async function linkPage<R extends LinkResult, E extends object>(
  request: Request,
  viewer: Viewer,
  use: (token: string) => Promise<R>,
  titleKey: (result: R) => string,
  extra: (result: R) => E,
) {
  const result = await use(new URL(request.url).searchParams.get("token") ?? "");
  const t = await i18nServer.getFixedT(request, "accounts");
  return data(
    { title: `${t(titleKey(result))} · OpenLab`, problem: result.ok ? null : (result as Extract<LinkResult, { ok: false }>).problem, signedIn: viewer !== null, ...extra(result) },
    { status: result.ok ? 200 : 400 },
  );
}
