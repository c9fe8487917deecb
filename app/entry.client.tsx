import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { getInitialNamespaces } from "remix-i18next/client";
import { fallbackLanguage, i18nConfig, isLocale } from "~/lib/i18n";
import { languageBackend, languageStrings } from "~/lib/i18n.client";

async function hydrate() {
  const lng = isLocale(document.documentElement.lang) ? document.documentElement.lang : fallbackLanguage;
  await i18next
    .use(initReactI18next)
    .use(languageBackend)
    .init({
      ...i18nConfig,
      lng,
      ns: getInitialNamespaces(),
      resources: { [lng]: await languageStrings(lng) },
      partialBundledLanguages: true,
      // Both languages have the same keys (tests/unit/locales.test.ts): no need to load the other.
      fallbackLng: false,
    });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

hydrate();
