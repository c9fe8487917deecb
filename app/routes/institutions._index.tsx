import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { allowAnyone } from "~/accounts/authz.server";
import { institutionsDirectory } from "~/catalogue/instruments.server";
import { provinceName } from "~/catalogue/regions";
import { localName } from "~/lib/format";
import { useLocale } from "~/root";
import { inReadersLanguage } from "~/lib/meta";

export const handle = { i18n: ["common", "catalogue"] };
export const meta: MetaFunction = ({ matches }) => [{ title: `${inReadersLanguage(matches, "机构名录", "Institutions")} — OpenLab` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  return { institutions: await institutionsDirectory() };
}

export default function Institutions() {
  const { institutions } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const locale = useLocale();
  return (
    <>
      <h1>{t("institutions.title")}</h1>
      <p className="lead-muted">{t("institutions.lead")}</p>
      {institutions.length === 0 ? (
        <p className="empty">{t("institutions.empty")}</p>
      ) : (
        <ul className="provider-list">
          {institutions.map((o) => (
            <li key={o.slug}>
              <Link to={`/institutions/${o.slug}`}>
                <strong>{localName(o, locale)}</strong>
                <span>
                  {t(`common:organizationType.${o.type}`)} · {provinceName(o.regionCode, locale)}
                </span>
                <span>{t("institutions.counts", { labs: o.labCount, instruments: o.instrumentCount })}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
