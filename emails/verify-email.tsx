import { Button, Link, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, linkStyle, textStyle, type EmailProps } from "./layout";

export type VerifyEmailProps = { name: string; url: string };

export default function VerifyEmail({ t, locale, name, url }: EmailProps<VerifyEmailProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("verifyEmail.preview")}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("verifyEmail.body")}</Text>
      <Button href={url} style={buttonStyle}>
        {t("verifyEmail.button")}
      </Button>
      <Text style={textStyle}>{t("fallback")}</Text>
      <Link href={url} style={linkStyle}>
        {url}
      </Link>
      <Text style={textStyle}>{t("verifyEmail.expires")}</Text>
      <Text style={textStyle}>{t("verifyEmail.ignore")}</Text>
    </EmailLayout>
  );
}
