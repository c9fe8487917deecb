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

/** What fixedT adds to every call; anything else is the caller's own. */
const FIXED_OPTIONS = new Set(["lng", "lngs", "ns", "keyPrefix"]);
const KEPT_STRINGS = 10_000;

/**
 * A page makes a few dozen `t()` calls, each walking i18next's option handling, resource lookup
 * and, with a count, plural rules (3–6 µs, together an eighth of rendering the booking page). An
 * instance whose strings and language never change gives the same answer to the same call, so
 * answers are kept, keyed by the key and the caller's options when those are plain text, numbers
 * or booleans; a call with anything else (objects, arrays, functions) is translated every time.
 * Bounded: when full, the kept answers are dropped and gathered again.
 */
export function rememberAnswers(instance: i18n): i18n {
  type Translate = (keys: unknown, options?: Record<string, unknown>, lastKey?: unknown) => unknown;
  const translator = (instance as unknown as { translator: { translate: Translate } }).translator;
  const work: Translate = translator.translate.bind(translator);
  const known = new Map<string, unknown>();
  translator.translate = (keys, options, lastKey) => {
    // An object answer would be shared by every caller that asked for it.
    if (typeof keys !== "string" || lastKey !== undefined || typeof options !== "object" || !options || options.lngs != null || options.returnObjects || options.returnDetails)
      return work(keys, options, lastKey);
    let id = `${options.lng}\0${String(options.ns)}\0${options.keyPrefix ?? ""}\0${keys}`;
    for (const option in options) {
      if (FIXED_OPTIONS.has(option)) continue;
      const value = options[option];
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return work(keys, options, lastKey);
      id += `\0${option}\0${value}`;
    }
    if (known.has(id)) return known.get(id);
    const answer = work(keys, options, lastKey);
    if (known.size >= KEPT_STRINGS) known.clear();
    known.set(id, answer);
    return answer;
  };
  return instance;
}
