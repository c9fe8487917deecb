import { Button, Link, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, linkStyle, textStyle, type EmailProps } from "./layout";

export type ResetPasswordProps = { name: string; url: string };

export default function ResetPassword({ t, locale, name, url }: EmailProps<ResetPasswordProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("resetPassword.preview")}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("resetPassword.body")}</Text>
      <Button href={url} style={buttonStyle}>
        {t("resetPassword.button")}
      </Button>
      <Text style={textStyle}>{t("fallback")}</Text>
      <Link href={url} style={linkStyle}>
        {url}
      </Link>
      <Text style={textStyle}>{t("resetPassword.expires")}</Text>
      <Text style={textStyle}>{t("resetPassword.ignore")}</Text>
    </EmailLayout>
  );
}
