import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { accountMemberships, flashNotice, resendVerification } from "~/accounts/auth.server";
import { requireUser } from "~/accounts/authz.server";
import { feedUrlOf } from "~/booking/calendar-feeds.server";
import { CalendarFeed } from "~/components/calendar-feed";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { allowMail, clientIp } from "~/lib/rate-limit.server";
import { verificationPath } from "~/trust/verification-path";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "accounts", "calendars", "verification"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const [memberships, t, feedUrl] = await Promise.all([
    accountMemberships(viewer.id),
    i18nServer.getFixedT(request, "accounts"),
    feedUrlOf(viewer.id, null),
  ]);
  return { title: `${t("account.title")} · OpenLab`, viewer, memberships, feedUrl };
}

/** The one action here: send a new verification link. */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  if (!(await allowMail(clientIp(request, context), viewer.email))) {
    return data({ error: "accounts:rateLimited" }, { status: 429 });
  }
  const { alreadyVerified } = await resendVerification(viewer.id, new URL(request.url).origin);
  const t = await i18nServer.getFixedT(request, "accounts");
  const notice = alreadyVerified ? t("account.alreadyVerified") : t("account.resent", { email: viewer.email });
  return redirect("/account", { headers: { "Set-Cookie": await flashNotice(request, notice) } });
}

export default function Account() {
  const { t } = useTranslation("accounts");
  const { t: tc } = useTranslation("common");
  const { t: tf } = useTranslation("calendars");
  const { t: tv } = useTranslation("verification");
  const locale = useLocale();
  const { viewer, memberships, feedUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="form-card wide">
      <h1>{t("account.title")}</h1>
      {viewer.emailVerified ? null : (
        <div className="notice notice-warning" role="status">
          <p>{t("account.unverified")}</p>
          <Form method="post">
            <CsrfInput />
            <FormError error={result?.error} />
            <SubmitButton className="button button-secondary">{t("account.resend")}</SubmitButton>
          </Form>
        </div>
      )}
      <h2>{t("account.profile")}</h2>
      <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "0.4rem 1.25rem", margin: "0.75rem 0 1.25rem" }}>
        <dt style={{ fontWeight: 600 }}>{t("account.displayName")}</dt>
        <dd style={{ margin: 0 }}>{viewer.displayName}</dd>
        <dt style={{ fontWeight: 600 }}>{t("account.email")}</dt>
        <dd style={{ margin: 0 }}>{viewer.email}</dd>
        <dt style={{ fontWeight: 600 }}>{t("account.status")}</dt>
        <dd style={{ margin: 0 }}>{viewer.emailVerified ? t("account.verified") : t("account.notVerified")}</dd>
      </dl>
      <h2>{t("account.memberships")}</h2>
      {memberships.length === 0 && !viewer.isPlatformAdmin ? (
        <p className="empty">{t("account.noMemberships")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("account.organization")}</th>
                <th scope="col">{t("account.role")}</th>
              </tr>
            </thead>
            <tbody>
              {viewer.isPlatformAdmin ? (
                <tr>
                  <td>OpenLab</td>
                  <td>{tc("role.platform_admin")}</td>
                </tr>
              ) : null}
              {memberships.map((m) => (
                <tr key={`${m.organizationId}-${m.role}-${m.labNameZh ?? ""}`}>
                  <td>
                    {localName({ nameZh: m.organizationNameZh, nameEn: m.organizationNameEn }, locale)}
                    {m.labNameZh !== null ? ` · ${localName({ nameZh: m.labNameZh, nameEn: m.labNameEn ?? "" }, locale)}` : null}
                  </td>
                  <td>
                    {tc(`role.${m.role}`)}
                    {m.role === "org_admin" || m.role === "institution_admin" ? (
                      <>
                        {" · "}
                        <Link to={verificationPath(m.organizationId)}>{tv("org.link")}</Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CalendarFeed url={feedUrl} labId={null} lead={tf("feed.personalLead")} />
    </section>
  );
}
