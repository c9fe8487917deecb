import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { localName } from "~/lib/format";
import { useLocale } from "~/root";

type Row = {
  slug: string;
  nameZh: string;
  nameEn: string;
  model: string;
  manufacturer: string;
  serviceModes: string[];
  categoryNameZh: string;
  categoryNameEn: string;
};

/** The 名录 table of instruments used on institution and lab pages. */
export function InstrumentTable({ instruments }: { instruments: Row[] }) {
  const { t } = useTranslation("catalogue");
  const locale = useLocale();
  if (instruments.length === 0) return <p className="empty">{t("institutions.noInstruments")}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t("field.name")}</th>
            <th scope="col">{t("field.model")}</th>
            <th scope="col">{t("field.category")}</th>
            <th scope="col">{t("field.serviceModes")}</th>
          </tr>
        </thead>
        <tbody>
          {instruments.map((i) => (
            <tr key={i.slug}>
              <td>
                <Link to={`/instruments/${i.slug}`}>{localName(i, locale)}</Link>
              </td>
              <td>
                {i.model} <span className="muted">{i.manufacturer}</span>
              </td>
              <td>{localName({ nameZh: i.categoryNameZh, nameEn: i.categoryNameEn }, locale)}</td>
              <td>{i.serviceModes.map((m) => t(`common:serviceMode.${m}`)).join("、")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
