import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type VerifyEmailProps = { name: string; url: string };

export default function VerifyEmail({ t, locale, name, url }: EmailProps<VerifyEmailProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("verifyEmail.preview")}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("verifyEmail.body")}</Text>
      <ActionLink t={t} href={url} label={t("verifyEmail.button")} />
      <Text style={textStyle}>{t("verifyEmail.expires")}</Text>
      <Text style={textStyle}>{t("verifyEmail.ignore")}</Text>
    </EmailLayout>
  );
}
