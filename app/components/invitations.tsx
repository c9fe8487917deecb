import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formatDateTime } from "~/lib/format";
import type { FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";

type OpenInvitation = { id: string; email: string; expiresAt: string | Date };

/** The invitations waiting to be accepted, each with its withdrawal (intent "withdraw"), and the form that sends another (intent "invite"). */
export function InvitationPanel({ invitations, title, lead, errors, email }: { invitations: OpenInvitation[]; title: string; lead: string; errors: FieldErrors; email?: string }) {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  return (
    <>
      <h3>{t("invite.pending")}</h3>
      {invitations.length === 0 ? (
        <p className="empty">{t("invite.none")}</p>
      ) : (
        <ul className="invitation-list">
          {invitations.map((i) => (
            <li key={i.id}>
              {i.email} · {t("invite.expires", { time: formatDateTime(i.expiresAt, locale) })}
              <Form method="post" className="inline-form">
                <CsrfInput />
                <input type="hidden" name="intent" value="withdraw" />
                <input type="hidden" name="invitationId" value={i.id} />
                <button type="submit" className="link-button" aria-label={t("invite.withdrawNamed", { email: i.email })}>
                  {t("invite.withdraw")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}

      {/* Keyed by the pending count so a sent invitation clears the field. */}
      <Form method="post" noValidate className="form-card wide" key={invitations.length}>
        <h2>{title}</h2>
        <p>{lead}</p>
        <CsrfInput />
        <input type="hidden" name="intent" value="invite" />
        <FormError error={errors._form} />
        <Field label={t("invite.email")} name="email" type="email" required autoComplete="off" defaultValue={email} error={errors.email} />
        <SubmitButton>{t("invite.submit")}</SubmitButton>
      </Form>
    </>
  );
}
