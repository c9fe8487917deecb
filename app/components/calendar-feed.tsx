// The private calendar subscription box: the secret URL with a copy button, and a form that
// makes a new URL (revoking the old one). Used on /account and on a lab's bookings page.
import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CsrfInput, SubmitButton } from "./forms";

export function CalendarFeed({ url, labId, lead }: { url: string | null; labId: string | null; lead: string }) {
  const { t } = useTranslation("calendars");
  const [copied, setCopied] = useState(false);
  return (
    <section className="panel calendar-feed" aria-labelledby={`feed-${labId ?? "own"}`}>
      <h2 id={`feed-${labId ?? "own"}`}>{t("feed.title")}</h2>
      <p className="muted">{lead}</p>
      {url ? (
        <p className="calendar-feed-url">
          <label>
            <span className="visually-hidden">{t("feed.url")}</span>
            <input type="text" readOnly value={url} aria-label={t("feed.url")} onFocus={(e) => e.currentTarget.select()} />
          </label>{" "}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}
          >
            {copied ? t("feed.copied") : t("feed.copy")}
          </button>
        </p>
      ) : (
        <p className="empty">{t("feed.none")}</p>
      )}
      <Form method="post" action="/calendar-feeds">
        <CsrfInput />
        {labId ? <input type="hidden" name="labId" value={labId} /> : null}
        <SubmitButton className="button button-secondary">{url ? t("feed.regenerate") : t("feed.create")}</SubmitButton>
      </Form>
    </section>
  );
}
