import { useTranslation } from "react-i18next";
import { formatDate } from "~/lib/format";
import type { Locale } from "~/lib/i18n";
import { badgeKinds } from "~/trust/accreditation";

/** Valid accreditations as small badges (CNAS, CMA …), in a fixed order. */
export function AccreditationBadges({ kinds }: { kinds: readonly string[] | null | undefined }) {
  const { t } = useTranslation("accreditation");
  const shown = badgeKinds(kinds ?? []);
  if (shown.length === 0) return null;
  return (
    <span className="accreditation-badges">
      {shown.map((k) => (
        <span key={k} className="chip chip-accreditation" title={t("badgeTitle", { kind: t(`kind.${k}`) })}>
          {t(`badge.${k}`)}
        </span>
      ))}
    </span>
  );
}

export type AccreditationRow = { id: string; kind: string; certificateNumber: string; issuer: string; scope: string; validFrom: string; validTo: string };

/** The public list on lab and instrument pages: kind, number, issuer, scope, validity, certificate. */
export function AccreditationList({ items, locale }: { items: AccreditationRow[]; locale: Locale }) {
  const { t } = useTranslation("accreditation");
  if (items.length === 0) return null;
  return (
    <section className="panel accreditation-list" aria-labelledby="accreditations-heading">
      <h2 id="accreditations-heading">{t("public.heading")}</h2>
      <ul>
        {items.map((a) => (
          <li key={a.id}>
            <AccreditationBadges kinds={[a.kind]} /> <strong>{a.certificateNumber}</strong> · {a.issuer}
            <div className="muted">
              {t("public.valid", { from: formatDate(a.validFrom, locale), to: formatDate(a.validTo, locale) })} ·{" "}
              <a href={`/accreditations/${a.id}/certificate.pdf`}>{t("public.certificate")}</a>
            </div>
            {a.scope ? <p className="accreditation-scope">{a.scope}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
