import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireOutboxReader } from "~/accounts/authz.server";
import { formatDateTime } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { listOutbox } from "~/lib/mail.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "accounts"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireOutboxReader(request);
  const [messages, t] = await Promise.all([listOutbox(100), i18nServer.getFixedT(request, "accounts")]);
  return { title: `${t("outbox.title")} · OpenLab`, messages };
}

/** The newest messages; the selected one opens below the list (admin.outbox.$id). */
export default function Outbox() {
  const { t } = useTranslation("accounts");
  const locale = useLocale();
  const { messages } = useLoaderData<typeof loader>();
  return (
    <section className="section">
      <h1>{t("outbox.title")}</h1>
      <p>{t("outbox.lead")}</p>
      <Outlet />
      {messages.length === 0 ? (
        <p className="empty">{t("outbox.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("outbox.time")}</th>
                <th scope="col">{t("outbox.to")}</th>
                <th scope="col">{t("outbox.subject")}</th>
                <th scope="col">{t("outbox.template")}</th>
                <th scope="col">{t("outbox.transport")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{formatDateTime(m.createdAt, locale)}</td>
                  <td>{m.toAddress}</td>
                  <td>
                    <Link to={`/admin/outbox/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td className="nowrap">{m.template}</td>
                  <td className="nowrap">{m.transport === "smtp" ? t("outbox.transports.smtp") : t("outbox.transports.outbox")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
