import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type AccountLinkProps = { name: string; url: string };

/**
 * The account messages whose point is one link (verify the address, reset the password, confirm a
 * new address): the same parts, worded under the message's own key in the emails namespace.
 */
export function accountLink(key: "verifyEmail" | "resetPassword" | "changeEmail") {
  return function AccountLink({ t, locale, name, url }: EmailProps<AccountLinkProps>) {
    return (
      <EmailLayout t={t} locale={locale} preview={t(`${key}.preview`)}>
        <Text style={textStyle}>{t("greeting", { name })}</Text>
        <Text style={textStyle}>{t(`${key}.body`)}</Text>
        <ActionLink t={t} href={url} label={t(`${key}.button`)} />
        <Text style={textStyle}>{t(`${key}.expires`)}</Text>
        <Text style={textStyle}>{t(`${key}.ignore`)}</Text>
      </EmailLayout>
    );
  };
}
