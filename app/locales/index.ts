import type { Locale } from "~/lib/i18n";
import en from "./language-en";
import zh from "./language-zh-CN";
import type { Namespaces } from "./namespaces";

/** Every namespace of every language, for the server: it renders pages and mail in either. */
export const locales: Record<Locale, Namespaces> = { "zh-CN": zh, en };
