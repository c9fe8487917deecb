import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type AccreditationExpiryProps = {
  name: string;
  lab: string;
  /** Empty when the accreditation covers the whole lab. */
  instrument: string;
  kind: string;
  certificateNumber: string;
  validTo: string;
  days: number;
  url: string;
};

/** A lab's accreditation ends in 60 or 30 days: renew it and upload the new certificate. */
export default function AccreditationExpiry({ t, locale, name, lab, instrument, kind, certificateNumber, validTo, days, url }: EmailProps<AccreditationExpiryProps>) {
  const facts = { lab, instrument, kind: t(`kind.${kind}`), certificateNumber, validTo, days };
  return (
    <EmailLayout t={t} locale={locale} preview={t("mail.preview", facts)}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t(instrument ? "mail.bodyInstrument" : "mail.body", facts)}</Text>
      <Text style={textStyle}>{t("mail.next")}</Text>
      <ActionLink t={t} href={url} label={t("mail.button")} />
    </EmailLayout>
  );
}
