import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type VerificationDecisionProps = { name: string; organization: string; verified: boolean; reason: string; url: string };

/** The platform's answer to an organisation's verification request; a rejection carries the reason. */
export default function VerificationDecision({ t, locale, name, organization, verified, reason, url }: EmailProps<VerificationDecisionProps>) {
  const key = verified ? "mail.verified" : "mail.rejected";
  return (
    <EmailLayout t={t} locale={locale} preview={t(`${key}.preview`, { organization })}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t(`${key}.body`, { organization })}</Text>
      {reason ? (
        <Text style={textStyle}>
          {t("mail.reason")}
          {reason}
        </Text>
      ) : null}
      <ActionLink t={t} href={url} label={t(`${key}.button`)} />
    </EmailLayout>
  );
}
