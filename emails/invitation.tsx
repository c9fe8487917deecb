import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type InvitationProps = { inviter: string; organization: string; lab?: string; url: string };

/**
 * An invitation into an organisation, under `key` (labInvitation: lab staff of a lab;
 * memberInvitation: a customer of a company); the link works once, for 7 days.
 */
export function invitation(key: "labInvitation" | "memberInvitation") {
  return function Invitation({ t, locale, inviter, organization, lab, url }: EmailProps<InvitationProps>) {
    const names = { inviter, organization, lab };
    return (
      <EmailLayout t={t} locale={locale} preview={t(`${key}.preview`, names)}>
        <Text style={textStyle}>{t(`${key}.hello`)}</Text>
        <Text style={textStyle}>{t(`${key}.body`, names)}</Text>
        <ActionLink t={t} href={url} label={t(`${key}.button`)} />
        <Text style={textStyle}>{t(`${key}.expires`)}</Text>
        <Text style={textStyle}>{t(`${key}.ignore`)}</Text>
      </EmailLayout>
    );
  };
}
