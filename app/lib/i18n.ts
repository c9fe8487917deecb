import type { InitOptions, Resource } from "i18next";
import { locales } from "~/locales";

export const supportedLanguages = ["zh-CN", "en"] as const;
export type Locale = (typeof supportedLanguages)[number];
export const fallbackLanguage: Locale = "zh-CN";

export function isLocale(value: unknown): value is Locale {
  return supportedLanguages.includes(value as Locale);
}

export const resources: Resource = locales;

/** Shared by server and browser so both render the same strings. */
export const i18nConfig = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: "common",
  interpolation: { escapeValue: false },
  resources,
} satisfies InitOptions;
