import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

/** filed: to the lab; message: to the other side of the thread; resolved: to both. */
export type ComplaintUpdateProps = {
  name: string;
  kind: "filed" | "message" | "resolved";
  subjectKind: "booking" | "lab" | "charge";
  reference: string;
  lab: string;
  /** The message's text, or the resolution's reason. */
  text: string;
  resolution: "upheld" | "not_upheld" | "settled" | null;
  url: string;
};

/** A step of a complaint: filed, answered in the thread, or resolved by the platform. */
export default function ComplaintUpdate({ t, locale, name, kind, subjectKind, reference, lab, text, resolution, url }: EmailProps<ComplaintUpdateProps>) {
  const about = t(`mail.about.${subjectKind}`, { reference, lab });
  return (
    <EmailLayout t={t} locale={locale} preview={t(`mail.${kind}.preview`, { about })}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t(`mail.${kind}.body`, { about, lab })}</Text>
      {resolution ? <Text style={textStyle}>{t("mail.resolution", { resolution: t(`resolution.${resolution}`) })}</Text> : null}
      {text ? <Text style={{ ...textStyle, whiteSpace: "pre-wrap" }}>{text}</Text> : null}
      <ActionLink t={t} href={url} label={t("mail.button")} />
    </EmailLayout>
  );
}
