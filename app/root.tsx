import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { getViewer, sessionOf } from "~/accounts/authz.server";
import { BookingRefusalPage, refusalOf } from "~/components/booking-refusal";
import { InlineStyles } from "~/components/inline-styles";
import { useNonce } from "~/components/nonce";
import { SiteFooter, SiteHeader } from "~/components/site-shell";
import { fallbackLanguage, isLocale, type Locale } from "~/lib/i18n";
import { i18nServer } from "~/lib/i18n.server";
import { commitSession, newCsrfToken } from "~/lib/session.server";

export const links: LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export const meta: MetaFunction = () => [{ title: "OpenLab 开放实验室" }];

export const handle = { i18n: ["common"] };

/** The root decides the language, loads who is signed in, and hands every form its CSRF token. */
export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, viewer, session] = await Promise.all([
    i18nServer.getLocale(request),
    getViewer(request),
    sessionOf(request),
  ]);
  let csrf = session.get("csrf");
  const headers = new Headers();
  if (!csrf) {
    csrf = newCsrfToken();
    session.set("csrf", csrf);
    headers.append("Set-Cookie", await commitSession(session));
  }
  const notice = session.get("notice");
  if (notice) headers.append("Set-Cookie", await commitSession(session));
  return data({ locale: isLocale(locale) ? locale : fallbackLanguage, viewer, csrf, notice }, { headers });
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function useLocale(): Locale {
  return useRootData()?.locale ?? fallbackLanguage;
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const locale = root?.locale ?? fallbackLanguage;
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <InlineStyles nonce={nonce} />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const root = useRootData();
  useChangeLanguage(root?.locale ?? fallbackLanguage);
  return (
    <div className="site">
      <SiteHeader />
      <main id="main" className="site-main">
        {root?.notice ? (
          <p className="notice" role="status">
            {root.notice}
          </p>
        ) : null}
        <Outlet />
      </main>
      <SiteFooter />
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? "notFound" : status === 403 ? "forbidden" : "serverError";
  const refusal = isRouteErrorResponse(error) && status === 403 ? refusalOf(error.data) : null;
  return (
    <div className="site">
      <SiteHeader />
      <main id="main" className="site-main">
        {refusal ? (
          <BookingRefusalPage refusal={refusal} />
        ) : (
          <section className="error-page">
            <p className="error-code">{status}</p>
            <h1>{t(`errors.${key}.title`)}</h1>
            <p>{t(`errors.${key}.body`)}</p>
            <a className="button" href="/">
              {t("errors.home")}
            </a>
          </section>
        )}
      </main>
      <SiteFooter />
    </div>
  );
}
