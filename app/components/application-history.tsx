import { useTranslation } from "react-i18next";
import type { ApplicationStatus } from "../../db/schema/vocabulary";
import { formatDateTime } from "~/lib/format";
import { useLocale } from "~/root";

export function ApplicationStatusChip({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation("onboarding");
  return <span className={`chip status-${status}`}>{t(`status.${status}`)}</span>;
}

type Event = { id: string; action: string; note: string | null; createdAt: Date | string; actorName: string | null };

/** Who did what, when, on one provider application, oldest first. */
export function ApplicationEvents({ events }: { events: Event[] }) {
  const { t } = useTranslation("onboarding");
  const locale = useLocale();
  return (
    <ol className="event-list">
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={new Date(e.createdAt).toISOString()}>{formatDateTime(e.createdAt, locale)}</time>{" "}
          <strong>{t(`event.${e.action}`)}</strong>
          {e.actorName ? ` · ${e.actorName}` : null}
          {e.note ? <p className="event-note">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
