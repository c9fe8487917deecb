import type { InitOptions } from "i18next";

export const supportedLanguages = ["zh-CN", "en"] as const;
export type Locale = (typeof supportedLanguages)[number];
export const fallbackLanguage: Locale = "zh-CN";

export function isLocale(value: unknown): value is Locale {
  return supportedLanguages.includes(value as Locale);
}

/**
 * Shared by server and browser so both render the same strings. The strings themselves are added
 * apart: the server holds both languages (i18n.server.ts), the browser loads only its page's
 * language (i18n.client.ts), so client chunks never carry the other language.
 */
export const i18nConfig = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: "common",
  interpolation: { escapeValue: false },
} satisfies InitOptions;
