import { createCookie } from "@remix-run/node";
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
