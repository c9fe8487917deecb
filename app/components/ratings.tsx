import { useTranslation } from "react-i18next";
import { formatDate, formatNumber, localName } from "~/lib/format";
import { useLocale } from "~/root";
import { reviewRatings, type RatingSummary } from "~/trust/reviews";

type ReviewView = {
  id: string;
  rating: string;
  comment: string;
  createdAt: string | Date;
  reply: string | null;
  repliedAt: string | Date | null;
  instrumentNameZh?: string;
  instrumentNameEn?: string;
};

/** Count and distribution over the five levels; the share is the 非常满意 + 基本满意 part. */
export function RatingSummaryView({ summary }: { summary: RatingSummary }) {
  const { t } = useTranslation("reviews");
  const locale = useLocale();
  if (summary.count === 0) return <p className="muted">{t("summary.none")}</p>;
  return (
    <div className="rating-summary">
      <p>
        {t("summary.count", { count: summary.count })} · {t("summary.satisfied", { share: formatNumber((summary.satisfiedShare ?? 0) * 100, locale, 0) })}
      </p>
      <dl className="rating-distribution">
        {reviewRatings.map((r) => (
          <div key={r}>
            <dt>{t(`rating.${r}`)}</dt>
            <dd>
              <meter min={0} max={summary.count} value={summary.distribution[r]} aria-label={t(`rating.${r}`)} /> {summary.distribution[r]}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * One review as plain text: React escapes it, and nothing in it is turned into a link, so a URL
 * typed into a comment stays text.
 */
export function ReviewCard({ review, showInstrument = false, children }: { review: ReviewView; showInstrument?: boolean; children?: React.ReactNode }) {
  const { t } = useTranslation("reviews");
  const locale = useLocale();
  return (
    <article className="review-card">
      <p>
        <strong className={`chip rating-${review.rating}`}>{t(`rating.${review.rating}`)}</strong>{" "}
        <time dateTime={new Date(review.createdAt).toISOString()}>{formatDate(review.createdAt, locale)}</time>
        {showInstrument && review.instrumentNameZh ? ` · ${localName({ nameZh: review.instrumentNameZh, nameEn: review.instrumentNameEn ?? "" }, locale)}` : null}
      </p>
      {review.comment ? <p className="user-text">{review.comment}</p> : null}
      {review.reply ? (
        <div className="review-reply">
          <p className="muted">
            {t("reply.fromLab")}
            {review.repliedAt ? ` · ${formatDate(review.repliedAt, locale)}` : null}
          </p>
          <p className="user-text">{review.reply}</p>
        </div>
      ) : null}
      {children}
    </article>
  );
}

/** The ratings section of an instrument or lab page. */
export function RatingsSection({ ratings, showInstrument = false }: { ratings: { summary: RatingSummary; latest: ReviewView[] }; showInstrument?: boolean }) {
  const { t } = useTranslation("reviews");
  return (
    <section className="panel ratings" aria-labelledby="ratings-title">
      <h2 id="ratings-title">{t("summary.title")}</h2>
      <RatingSummaryView summary={ratings.summary} />
      {ratings.latest.map((r) => (
        <ReviewCard key={r.id} review={r} showInstrument={showInstrument} />
      ))}
    </section>
  );
}
