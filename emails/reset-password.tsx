import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type ResetPasswordProps = { name: string; url: string };

export default function ResetPassword({ t, locale, name, url }: EmailProps<ResetPasswordProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("resetPassword.preview")}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("resetPassword.body")}</Text>
      <ActionLink t={t} href={url} label={t("resetPassword.button")} />
      <Text style={textStyle}>{t("resetPassword.expires")}</Text>
      <Text style={textStyle}>{t("resetPassword.ignore")}</Text>
    </EmailLayout>
  );
}
