import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

export type SampleReportReadyProps = { name: string; reference: string; instrument: string; url: string };

/** The lab has issued the report of a sample job; the link leads to the job, where the PDF is. */
export default function SampleReportReady({ t, locale, name, reference, instrument, url }: EmailProps<SampleReportReadyProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("sampleReportReady.preview", { reference })}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("sampleReportReady.body", { reference, instrument })}</Text>
      <Text style={textStyle}>{t("sampleReportReady.access")}</Text>
      <ActionLink t={t} href={url} label={t("sampleReportReady.button")} />
    </EmailLayout>
  );
}
