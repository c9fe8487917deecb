import { Text } from "@react-email/components";
import { EmailLayout, textStyle, type EmailProps } from "./layout";

export type EmailChangedProps = { name: string; email: string };

/** Sent to the old address once a new one is confirmed: the account no longer writes here. */
export default function EmailChanged({ t, locale, name, email }: EmailProps<EmailChangedProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("emailChanged.preview", { email })}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("emailChanged.body", { email })}</Text>
      <Text style={textStyle}>{t("emailChanged.notYou")}</Text>
    </EmailLayout>
  );
}
