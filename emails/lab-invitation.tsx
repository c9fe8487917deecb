import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type LabInvitationProps = { inviter: string; lab: string; organization: string; url: string };

/** An invitation to join a lab as lab staff; the link works once, for 7 days. */
export default function LabInvitation({ t, locale, inviter, lab, organization, url }: EmailProps<LabInvitationProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("labInvitation.preview", { lab })}>
      <Text style={textStyle}>{t("labInvitation.hello")}</Text>
      <Text style={textStyle}>{t("labInvitation.body", { inviter, lab, organization })}</Text>
      <ActionLink t={t} href={url} label={t("labInvitation.button")} />
      <Text style={textStyle}>{t("labInvitation.expires")}</Text>
      <Text style={textStyle}>{t("labInvitation.ignore")}</Text>
    </EmailLayout>
  );
}
