import type { MetaArgs } from "@remix-run/node";
import { fallbackLanguage, isLocale, type Locale } from "./i18n";

/**
 * The reader's language in a meta function. Meta functions run apart from the page's translations
 * (on the server and again on the client), so they take the language the root loader chose.
 */
export function metaLocale(matches: MetaArgs["matches"]): Locale {
  const locale = (matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined)?.locale;
  return isLocale(locale) ? locale : fallbackLanguage;
}

/** A page title (or description) in the reader's language: Chinese first, English second. */
export const inReadersLanguage = (matches: MetaArgs["matches"], zh: string, en: string) => (metaLocale(matches) === "en" ? en : zh);
