import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireOutboxReader } from "~/accounts/authz.server";
import { formatDateTime } from "~/lib/format";
import { getOutboxMessage } from "~/lib/mail.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "accounts", "calendars"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.message.subject} · OpenLab` : "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOutboxReader(request);
  const message = await getOutboxMessage(params.id ?? "");
  if (!message) throw notFound();
  return { message };
}

/** Base64 of UTF-8 text, in the browser as on the server. */
const utf8Base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/**
 * The HTML is shown in a sandbox without scripts or same-origin access; links may still be followed
 * by a click, which is what a developer reading the dev mailbox wants.
 */
export default function OutboxMessage() {
  const { t } = useTranslation("accounts");
  const locale = useLocale();
  const { message } = useLoaderData<typeof loader>();
  return (
    <article className="card" aria-labelledby="outbox-message-subject" style={{ padding: "1rem 1.25rem", marginBottom: "1.5rem" }}>
      <h2 id="outbox-message-subject">{message.subject}</h2>
      <dl className="pairs">
        <dt>{t("outbox.to")}</dt>
        <dd>{message.toAddress}</dd>
        <dt>{t("outbox.time")}</dt>
        <dd>{formatDateTime(message.createdAt, locale)}</dd>
        <dt>{t("outbox.template")}</dt>
        <dd>
          {message.template} ({message.locale})
        </dd>
      </dl>
      <h3>{t("outbox.html")}</h3>
      <iframe
        title={`${t("outbox.html")}: ${message.subject}`}
        srcDoc={message.html}
        sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
        style={{ width: "100%", minHeight: "480px", border: "1px solid #d0d7de", borderRadius: "8px", background: "#fff" }}
      />
      {message.attachments.length > 0 ? (
        <>
          <h3>{t("calendars:outbox.attachments")}</h3>
          <ul>
            {message.attachments.map((a) => (
              <li key={a.filename}>
                <a href={`data:${a.contentType.split(";")[0]};charset=utf-8;base64,${utf8Base64(a.content)}`} download={a.filename}>
                  {a.filename}
                </a>{" "}
                <code>{a.contentType}</code>
                <pre style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere", maxHeight: "16rem", overflow: "auto" }}>{a.content}</pre>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>{t("outbox.text")}</h3>
      <pre style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{message.text}</pre>
      <p>
        <Link to="/admin/outbox">{t("outbox.close")}</Link>
      </p>
    </article>
  );
}
