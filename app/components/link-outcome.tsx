import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export const linkPageHandle = { i18n: ["common", "accounts"] };

/** The token in the page's address must not travel in the Referer of a link followed from it. */
export const linkPageMeta: MetaFunction = ({ data }) => [
  { title: (data as { title?: string } | undefined)?.title ?? "OpenLab" },
  { name: "referrer", content: "same-origin" },
];

/**
 * The page an emailed account link opens: what it did, or why it could not and what to do instead,
 * then the way on (the account page, or signing in).
 */
export function LinkOutcome({ problem, failedTitle, hint, okTitle, okBody, signedIn }: {
  problem: string | null;
  failedTitle: string;
  hint: string;
  okTitle: string;
  okBody: string;
  signedIn: boolean;
}) {
  const { t } = useTranslation("accounts");
  return (
    <section className="form-card">
      {problem ? (
        <>
          <h1>{failedTitle}</h1>
          <p className="form-error" role="alert">
            {t(problem)}
          </p>
          <p>{hint}</p>
        </>
      ) : (
        <>
          <h1>{okTitle}</h1>
          <p className="notice" role="status">
            {okBody}
          </p>
        </>
      )}
      <p className="form-links">
        <Link to={signedIn ? "/account" : "/login?redirectTo=%2Faccount"}>{signedIn ? t("verify.toAccount") : t("login.title")}</Link>
      </p>
    </section>
  );
}
