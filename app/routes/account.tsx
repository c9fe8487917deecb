import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { accountMemberships, changePassword, endOtherSessions, flashNotice, registerCompany, renameUser, requestEmailChange, resendVerification } from "~/accounts/auth.server";
import { requireUser } from "~/accounts/authz.server";
import { bookingRefusal } from "~/accounts/permissions";
import { changeEmailSchema, changePasswordSchema, companySchema, profileSchema } from "~/accounts/schemas";
import { feedUrlOf } from "~/booking/calendar-feeds.server";
import { CalendarFeed } from "~/components/calendar-feed";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { allowMail, allowSignIn, clientIp, forgetSignInFailures } from "~/lib/rate-limit.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { verificationPath } from "~/trust/verification-path";
import { membersPath } from "~/accounts/members-path";
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

const intentSchema = z.enum(["resend", "profile", "company", "password", "email", "sessions"]);
type Intent = z.infer<typeof intentSchema>;

/**
 * Sends a new verification link, renames the user, registers their company, changes the password
 * or the address, or signs out other devices.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const form = await formOf(request);
  const intent = intentSchema.safeParse(form.get("intent"));
  const fail = (errors: FieldErrors, status = 400) => data({ intent: intent.success ? intent.data : null, errors }, { status });
  if (!intent.success) return fail({ _form: "validation.invalid" });
  const t = await i18nServer.getFixedT(request, "accounts");
  const ip = clientIp(request, context);
  const done = async (notice: string, epoch?: number) => redirect("/account", { headers: { "Set-Cookie": await flashNotice(request, notice, epoch) } });

  if (intent.data === "profile") {
    const parsed = parseForm(profileSchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    await renameUser(viewer.id, parsed.data.displayName);
    return done(t("account.renamed"));
  }
  if (intent.data === "company") {
    const parsed = parseForm(companySchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    const registered = await registerCompany(viewer.id, parsed.data, ip);
    if (!registered.ok) return fail(registered.errors);
    return done(t("company.registered", { name: parsed.data.organizationName }));
  }
  if (intent.data === "password") {
    const parsed = parseForm(changePasswordSchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    // Guessing the current password is guessing a sign-in: the same limits apply.
    if (!(await allowSignIn(ip, viewer.email))) return fail({ _form: "accounts:rateLimited" }, 429);
    const changed = await changePassword(viewer.id, parsed.data, ip);
    if (!changed.ok) return fail(changed.errors);
    await forgetSignInFailures(ip, viewer.email);
    return done(t("password.changed"), changed.epoch);
  }
  if (intent.data === "email") {
    const parsed = parseForm(changeEmailSchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    // It checks the current password and sends mail: the sign-in and the mail limits both apply.
    if (!(await allowSignIn(ip, viewer.email)) || !(await allowMail(ip, parsed.data.email))) return fail({ _form: "accounts:rateLimited" }, 429);
    const requested = await requestEmailChange(viewer.id, parsed.data, new URL(request.url).origin);
    if (!requested.ok) return fail(requested.errors);
    await forgetSignInFailures(ip, viewer.email);
    return done(t("changeEmail.sent", { email: parsed.data.email }));
  }
  if (intent.data === "sessions") return done(t("sessions.ended"), await endOtherSessions(viewer.id, ip));
  if (!(await allowMail(ip, viewer.email))) return fail({ _form: "accounts:rateLimited" }, 429);
  const { alreadyVerified } = await resendVerification(viewer.id, new URL(request.url).origin);
  return done(alreadyVerified ? t("account.alreadyVerified") : t("account.resent", { email: viewer.email }));
}

/**
 * A key that changes each time a submission with this intent has been answered, so the form it
 * keys starts empty again: passwords are not left typed in a page after they were sent.
 */
function useFreshAfterAnswer(intent: Intent): number {
  const navigation = useNavigation();
  const sending = navigation.formData?.get("intent") === intent;
  const wasSending = useRef(false);
  const [key, setKey] = useState(0);
  useEffect(() => {
    if (wasSending.current && !sending) setKey((k) => k + 1);
    wasSending.current = sending;
  }, [sending]);
  return key;
}

export default function Account() {
  const { t } = useTranslation("accounts");
  const { t: tc } = useTranslation("common");
  const { t: tf } = useTranslation("calendars");
  const { t: tv } = useTranslation("verification");
  const locale = useLocale();
  const { viewer, memberships, feedUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const passwordFormKey = useFreshAfterAnswer("password");
  const emailFormKey = useFreshAfterAnswer("email");
  // Each form shows its own refusal only.
  const errorsOf = (intent: Intent): FieldErrors => (result?.intent === intent ? result.errors : {});
  return (
    <section className="form-card wide">
      <h1>{t("account.title")}</h1>
      {viewer.emailVerified ? null : (
        <div className="notice notice-warning" id="verify" role="status">
          <p>{t("account.unverified")}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="resend" />
            <FormError error={errorsOf("resend")._form} />
            <SubmitButton className="button button-secondary">{t("account.resend")}</SubmitButton>
          </Form>
        </div>
      )}
      <h2>{t("account.profile")}</h2>
      <dl className="pairs">
        <dt>{t("account.email")}</dt>
        <dd>{viewer.email}</dd>
        <dt>{t("account.status")}</dt>
        <dd>{viewer.emailVerified ? t("account.verified") : t("account.notVerified")}</dd>
      </dl>
      <Form method="post" className="account-form" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="profile" />
        <Field label={t("account.displayName")} name="displayName" autoComplete="name" required maxLength={60} defaultValue={viewer.displayName} error={errorsOf("profile").displayName} />
        <SubmitButton className="button button-secondary">{t("account.rename")}</SubmitButton>
      </Form>
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
                        <Link className="inline-link" to={verificationPath(m.organizationId)}>
                          {tv("org.link")}
                        </Link>
                        {" · "}
                        <Link className="inline-link" to={membersPath(m.organizationId)}>
                          {t("members.link")}
                        </Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {bookingRefusal(viewer) === "joinOrganization" ? (
        <>
          <h3 id="company">{t("company.title")}</h3>
          <p>{t("company.lead")}</p>
          <Form method="post" className="account-form" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="company" />
            <FormError error={errorsOf("company")._form} />
            <Field label={t("signup.organizationName")} name="organizationName" autoComplete="organization" required maxLength={120} error={errorsOf("company").organizationName} />
            <Field label={t("signup.creditCode")} name="creditCode" autoCapitalize="characters" spellCheck={false} required maxLength={40} hint={t("signup.creditCodeHint")} error={errorsOf("company").creditCode} />
            <SubmitButton className="button button-secondary">{t("company.submit")}</SubmitButton>
          </Form>
        </>
      ) : null}
      <CalendarFeed url={feedUrl} labId={null} lead={tf("feed.personalLead")} />
      <h2>{t("password.title")}</h2>
      <Form method="post" className="account-form" noValidate key={`password-${passwordFormKey}`}>
        <CsrfInput />
        <input type="hidden" name="intent" value="password" />
        <FormError error={errorsOf("password")._form} />
        <Field label={t("password.current")} name="currentPassword" type="password" autoComplete="current-password" required error={errorsOf("password").currentPassword} />
        <Field label={t("password.new")} name="password" type="password" autoComplete="new-password" required hint={t("signup.passwordHint")} error={errorsOf("password").password} />
        <SubmitButton className="button button-secondary">{t("password.submit")}</SubmitButton>
      </Form>
      <h2>{t("changeEmail.title")}</h2>
      <p>{t("changeEmail.lead")}</p>
      <Form method="post" className="account-form" noValidate key={`email-${emailFormKey}`}>
        <CsrfInput />
        <input type="hidden" name="intent" value="email" />
        <FormError error={errorsOf("email")._form} />
        <Field label={t("changeEmail.new")} name="email" id="field-newEmail" type="email" autoComplete="email" required maxLength={254} error={errorsOf("email").email} />
        {/* The password form has a field of the same name: each label needs its own input. */}
        <Field label={t("changeEmail.current")} name="currentPassword" id="field-emailCurrentPassword" type="password" autoComplete="current-password" required error={errorsOf("email").currentPassword} />
        <SubmitButton className="button button-secondary">{t("changeEmail.submit")}</SubmitButton>
      </Form>
      <h2>{t("sessions.title")}</h2>
      <p>{t("sessions.lead")}</p>
      <Form method="post" className="account-form">
        <CsrfInput />
        <input type="hidden" name="intent" value="sessions" />
        <FormError error={errorsOf("sessions")._form} />
        <SubmitButton className="button button-secondary">{t("sessions.submit")}</SubmitButton>
      </Form>
    </section>
  );
}
