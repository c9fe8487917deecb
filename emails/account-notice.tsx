import { Text } from "@react-email/components";
import { EmailLayout, textStyle, type EmailProps } from "./layout";

/**
 * The notices sent when the account's security changed (its password, its address): what changed,
 * and what to do if the reader did not change it. `email` is the new address, where there is one.
 */
export function accountNotice(key: "passwordChanged" | "emailChanged") {
  return function AccountNotice({ t, locale, name, email }: EmailProps<{ name: string; email?: string }>) {
    return (
      <EmailLayout t={t} locale={locale} preview={t(`${key}.preview`, { email })}>
        <Text style={textStyle}>{t("greeting", { name })}</Text>
        <Text style={textStyle}>{t(`${key}.body`, { email })}</Text>
        <Text style={textStyle}>{t(`${key}.notYou`)}</Text>
      </EmailLayout>
    );
  };
}
