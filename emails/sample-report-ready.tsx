import { Button, Link, Text } from "@react-email/components";
import { buttonStyle, EmailLayout, linkStyle, textStyle, type EmailProps } from "./layout";

export type SampleReportReadyProps = { name: string; reference: string; instrument: string; url: string };

/** The lab has issued the report of a sample job; the link leads to the job, where the PDF is. */
export default function SampleReportReady({ t, locale, name, reference, instrument, url }: EmailProps<SampleReportReadyProps>) {
  return (
    <EmailLayout t={t} locale={locale} preview={t("sampleReportReady.preview", { reference })}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t("sampleReportReady.body", { reference, instrument })}</Text>
      <Text style={textStyle}>{t("sampleReportReady.access")}</Text>
      <Button href={url} style={buttonStyle}>
        {t("sampleReportReady.button")}
      </Button>
      <Text style={textStyle}>{t("fallback")}</Text>
      <Link href={url} style={linkStyle}>
        {url}
      </Link>
    </EmailLayout>
  );
}
