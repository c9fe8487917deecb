import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type ApplicationDecisionProps = { name: string; organization: string; approved: boolean; reason: string; url: string };

/** The platform's answer to a provider application; a rejection carries the reviewer's reason. */
export default function ApplicationDecision({ t, locale, name, organization, approved, reason, url }: EmailProps<ApplicationDecisionProps>) {
  const key = approved ? "applicationDecision.approved" : "applicationDecision.rejected";
  return (
    <EmailLayout t={t} locale={locale} preview={t(`${key}.preview`, { organization })}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t(`${key}.body`, { organization })}</Text>
      {reason ? (
        <Text style={textStyle}>
          {t("applicationDecision.reason")}
          {reason}
        </Text>
      ) : null}
      <Text style={textStyle}>{t(`${key}.next`)}</Text>
      <ActionLink t={t} href={url} label={t(`${key}.button`)} />
    </EmailLayout>
  );
}
