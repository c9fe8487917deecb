// The signed-in user's training standing on an instrument, with whom to contact for (re)training.
import { useTranslation } from "react-i18next";
import type { Standing } from "~/booking/qualifications.server";
import { formatDate, localName } from "~/lib/format";
import { useLocale } from "~/root";

export function QualificationStanding({ standing }: { standing: Standing }) {
  const { t } = useTranslation("training");
  const locale = useLocale();
  const q = standing.qualification;
  const { lab } = standing;
  const contact = [
    lab.contactName ? `${t("standing.contact")}：${lab.contactName}` : null,
    lab.contactPhone ? `${t("standing.phone")}：${lab.contactPhone}` : null,
    lab.contactEmail ? `${t("standing.email")}：${lab.contactEmail}` : null,
  ].filter(Boolean);
  return (
    <div className={`notice qualification-standing${q.state === "valid" ? "" : " notice-warning"}`} role="status">
      <p>{q.state === "none" ? t("standing.none") : t(`standing.${q.state}`, { date: formatDate(q.expiresOn, locale) })}</p>
      {q.state === "valid" ? null : (
        <p>
          {t("standing.renew", { lab: localName(lab, locale) })}
          {contact.length ? `（${contact.join("，")}）` : null}。
        </p>
      )}
    </div>
  );
}
