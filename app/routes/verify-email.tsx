import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { verifyEmail } from "~/accounts/auth.server";
import { allowAnyone } from "~/accounts/authz.server";
import { linkPage } from "~/accounts/link-page.server";
import { LinkOutcome, linkPageHandle, linkPageMeta } from "~/components/link-outcome";

export const handle = linkPageHandle;
export const meta = linkPageMeta;

/** The link from the verification email. */
export async function loader({ request }: LoaderFunctionArgs) {
  return linkPage(request, await allowAnyone(request), verifyEmail, () => "verify.title", () => ({}));
}

export default function VerifyEmail() {
  const { t } = useTranslation("accounts");
  const { problem, signedIn } = useLoaderData<typeof loader>();
  return (
    <LinkOutcome
      problem={problem}
      failedTitle={t("verify.failedTitle")}
      hint={t("verify.resendHint")}
      okTitle={t("verify.okTitle")}
      okBody={t("verify.okBody")}
      signedIn={signedIn}
    />
  );
}
