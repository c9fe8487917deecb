import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type PaymentReminderProps = {
  name: string;
  reference: string;
  /** The customer organisation that owes the charge. */
  organization: string;
  provider: string;
  /** Still owed, formatted in the recipient's language. */
  amount: string;
  due: string;
  url: string;
};

/** A charge is still unpaid past its due date: pay it by transfer with the reference, or online. */
export default function PaymentReminder({ t, locale, name, reference, organization, provider, amount, due, url }: EmailProps<PaymentReminderProps>) {
  const facts = { reference, organization, provider, amount, due };
  return (
    <EmailLayout t={t} locale={locale} preview={t("mail.overduePreview", facts)}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("mail.overdueBody", facts)}</Text>
      <Text style={textStyle}>{t("mail.overdueHow")}</Text>
      <ActionLink t={t} href={url} label={t("mail.overdueButton")} />
    </EmailLayout>
  );
}
