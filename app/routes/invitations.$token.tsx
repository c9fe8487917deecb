import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { allowAnyone, requireUser } from "~/accounts/authz.server";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { acceptInvitation, describeInvitation } from "~/accounts/invitations.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "onboarding"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "OpenLab" },
  { name: "referrer", content: "same-origin" },
];

/** The invitation link: shows the lab and, to the invited address once signed in, the accept button. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await allowAnyone(request);
  const [invitation, t] = await Promise.all([describeInvitation(params.token ?? ""), i18nServer.getFixedT(request, "onboarding")]);
  const title = `${t("invitation.title")} · OpenLab`;
  const here = new URL(request.url).pathname;
  if (!invitation.ok) return data({ title, invitation, viewerEmail: viewer?.email ?? null, here }, { status: 400 });
  return { title, invitation, viewerEmail: viewer?.email ?? null, here };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const result = await acceptInvitation(params.token ?? "", viewer, clientIp(request, context));
  if (!result.ok) return data({ problem: result.problem }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "onboarding");
  // Lab staff go to their lab; a new customer to the catalogue, to book in the organisation's name.
  const [to, notice] = result.labId ? [`/manage/labs/${result.labId}`, "invitation.accepted"] : ["/instruments", "invitation.customerAccepted"];
  return redirect(to, { headers: { "Set-Cookie": await flashNotice(request, t(notice)) } });
}

export default function Invitation() {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  const { invitation, viewerEmail, here } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!invitation.ok) {
    return (
      <section className="form-card">
        <h1>{t("invitation.title")}</h1>
        <p className="form-error" role="alert">
          {t(invitation.problem)}
        </p>
        <p>{t("invitation.askAgain")}</p>
      </section>
    );
  }
  const sameEmail = viewerEmail !== null && viewerEmail.toLowerCase() === invitation.email.toLowerCase();
  return (
    <section className="form-card">
      <h1>{t(invitation.lab ? "invitation.title" : "invitation.customerTitle")}</h1>
      <p>
        {invitation.lab
          ? t("invitation.body", { lab: localName(invitation.lab, locale), organization: localName(invitation.organization, locale) })
          : t("invitation.customerBody", { organization: localName(invitation.organization, locale) })}
      </p>
      <p className="muted">{t("invitation.sentTo", { email: invitation.email })}</p>
      {viewerEmail === null ? (
        <p className="form-links">
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="button">
            {t("invitation.signIn")}
          </Link>{" "}
          <Link to={`/signup?${new URLSearchParams({ email: invitation.email, redirectTo: here })}`}>{t("invitation.signUp")}</Link>
        </p>
      ) : sameEmail ? (
        <Form method="post">
          <CsrfInput />
          <FormError error={result?.problem} />
          <SubmitButton>{t("invitation.accept")}</SubmitButton>
        </Form>
      ) : (
        <p className="form-error" role="alert">
          {t("onboarding:invitation.otherEmail")} {t("invitation.signedInAs", { email: viewerEmail })}
        </p>
      )}
    </section>
  );
}
