import { createCookie } from "@remix-run/node";
import type { i18n } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import { locales } from "~/locales";
import { fallbackLanguage, i18nConfig, supportedLanguages } from "./i18n";

/** The shared settings with every string of both languages. */
export const serverI18nConfig = { ...i18nConfig, resources: locales };

export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    cookie: localeCookie,
    // The cookie wins; otherwise Accept-Language; never the URL or the session.
    order: ["cookie", "header"],
  },
  i18next: serverI18nConfig,
});

/**
 * i18next works out a language's lookup order ("zh-CN", "zh", then the fallback) on every `t()`,
 * through Intl.getCanonicalLocales several times over; a page makes hundreds of calls. The order
 * depends only on the code and the instance's fixed options, so it is worked out once per code.
 * Clones share their original's language utilities, so they share this too.
 */
export function rememberLookupOrder(instance: i18n): i18n {
  const utils = instance.services.languageUtils as { toResolveHierarchy(code: string, fallback?: unknown): string[] };
  const work = utils.toResolveHierarchy.bind(utils);
  const known = new Map<string, string[]>();
  utils.toResolveHierarchy = (code, fallback) => {
    if (fallback !== undefined || typeof code !== "string") return work(code, fallback);
    let order = known.get(code);
    if (!order) known.set(code, (order = work(code)));
    // A copy: callers may keep and change what they are given.
    return [...order];
  };
  return instance;
}
