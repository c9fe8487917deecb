import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { confirmEmailChange } from "~/accounts/auth.server";
import { allowAnyone } from "~/accounts/authz.server";
import { linkPage } from "~/accounts/link-page.server";
import { LinkOutcome, linkPageHandle, linkPageMeta } from "~/components/link-outcome";

export const handle = linkPageHandle;
export const meta = linkPageMeta;

/** The link sent to a new address: the account takes it. */
export async function loader({ request }: LoaderFunctionArgs) {
  return linkPage(
    request,
    await allowAnyone(request),
    confirmEmailChange,
    (result) => (result.ok ? "changeEmail.okTitle" : "changeEmail.failedTitle"),
    (result) => ({ email: result.ok ? result.email : null }),
  );
}

export default function ConfirmEmail() {
  const { t } = useTranslation("accounts");
  const { problem, email, signedIn } = useLoaderData<typeof loader>();
  return (
    <LinkOutcome
      problem={problem}
      failedTitle={t("changeEmail.failedTitle")}
      hint={t("changeEmail.retryHint")}
      okTitle={t("changeEmail.okTitle")}
      okBody={t("changeEmail.okBody", { email })}
      signedIn={signedIn}
    />
  );
}
