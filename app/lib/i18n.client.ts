import type { BackendModule } from "i18next";
import type { Namespaces } from "~/locales/namespaces";
import { fallbackLanguage, isLocale, type Locale } from "./i18n";

// One chunk per language: a page loads the strings of the language it is shown in, not both.
const languages: Record<Locale, () => Promise<{ default: Namespaces }>> = {
  "zh-CN": () => import("~/locales/language-zh-CN"),
  en: () => import("~/locales/language-en"),
};

export async function languageStrings(lng: string): Promise<Namespaces> {
  return (await languages[isLocale(lng) ? lng : fallbackLanguage]()).default;
}

/** Loads the other language's chunk when the reader switches language. */
export const languageBackend: BackendModule = {
  type: "backend",
  init() {},
  read(lng, ns, callback) {
    languageStrings(lng).then(
      (strings) => callback(null, strings[ns] ?? {}),
      (error: Error) => callback(error, null),
    );
  },
};
