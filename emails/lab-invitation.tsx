import { Button, Link, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, linkStyle, textStyle, type EmailProps } from "./layout";

export type LabInvitationProps = { inviter: string; lab: string; organization: string; url: string };

/** An invitation to join a lab as lab staff; the link works once, for 7 days. */
export default function LabInvitation({ t, locale, inviter, lab, organization, url }: EmailProps<LabInvitationProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("labInvitation.preview", { lab })}>
      <Text style={textStyle}>{t("labInvitation.hello")}</Text>
      <Text style={textStyle}>{t("labInvitation.body", { inviter, lab, organization })}</Text>
      <Button href={url} style={buttonStyle}>
        {t("labInvitation.button")}
      </Button>
      <Text style={textStyle}>{t("fallback")}</Text>
      <Link href={url} style={linkStyle}>
        {url}
      </Link>
      <Text style={textStyle}>{t("labInvitation.expires")}</Text>
      <Text style={textStyle}>{t("labInvitation.ignore")}</Text>
    </EmailLayout>
  );
}
