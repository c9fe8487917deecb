import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { verifyEmail } from "~/accounts/auth.server";
import { allowAnyone } from "~/accounts/authz.server";
import { i18nServer } from "~/lib/i18n.server";

export const handle = { i18n: ["common", "accounts"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "OpenLab" },
  { name: "referrer", content: "same-origin" },
];

/** The link from the verification email: a GET that uses up the token once. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await allowAnyone(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const result = await verifyEmail(token);
  const t = await i18nServer.getFixedT(request, "accounts");
  return data(
    {
      title: `${t("verify.title")} · OpenLab`,
      problem: result.ok ? null : result.problem,
      signedIn: viewer !== null,
    },
    { status: result.ok ? 200 : 400 },
  );
}

export default function VerifyEmail() {
  const { t } = useTranslation("accounts");
  const { problem, signedIn } = useLoaderData<typeof loader>();
  return (
    <section className="form-card">
      {problem ? (
        <>
          <h1>{t("verify.failedTitle")}</h1>
          <p className="form-error" role="alert">
            {t(problem)}
          </p>
          <p>{t("verify.resendHint")}</p>
        </>
      ) : (
        <>
          <h1>{t("verify.okTitle")}</h1>
          <p className="notice" role="status">
            {t("verify.okBody")}
          </p>
        </>
      )}
      <p className="form-links">
        <Link to={signedIn ? "/account" : "/login?redirectTo=%2Faccount"}>{signedIn ? t("verify.toAccount") : t("login.title")}</Link>
      </p>
    </section>
  );
}
