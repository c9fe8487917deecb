import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import QRCode from "qrcode";
import { z } from "zod";
import { notFound, requireUser } from "~/accounts/authz.server";
import { cancellationTerms } from "~/billing/quote";
import { bookingQuote } from "~/billing/rates.server";
import { bookingDetail } from "~/booking/reservations.server";
import { sampleJobDetail } from "~/booking/sample-queries.server";
import { cancelSampleJob } from "~/booking/sample-jobs.server";
import { availableSampleJobTransitions } from "~/booking/sample-states";
import { availableTransitions } from "~/booking/states";
import { formatSpan } from "~/booking/time-format";
import { SELF_CHECK_IN_AFTER_MINUTES, SELF_CHECK_IN_BEFORE_MINUTES } from "~/booking/usage";
import { usageRecordOf } from "~/booking/usage.server";
import { bookingHistory, cancel } from "~/booking/transitions.server";
import { QuoteTable } from "~/components/fees";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { SampleJobFacts } from "~/components/sample-job-facts";
import { formOf } from "~/lib/form.server";
import { formatDateTime, formatMoney, localName } from "~/lib/format";
import { parseForm } from "~/lib/validation";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";
import { ReviewCard } from "~/components/ratings";
import { reviewSchema } from "~/trust/review-forms";
import { isReviewable, reviewRatings } from "~/trust/reviews";
import { reviewOfBooking, submitReview } from "~/trust/reviews.server";

export const handle = { i18n: ["common", "reserve", "booking", "samples", "calendars", "usage", "reviews", "fees", "complaints"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.booking.reference} · OpenLab` : "OpenLab" }];

/** The booking if it is the viewer's own; anybody else's (or an unknown id) is 404, not 403. */
async function ownBooking(viewerId: string, id: string) {
  const booking = await bookingDetail(id);
  if (!booking || booking.userId !== viewerId) throw notFound();
  return booking;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const booking = await ownBooking(viewer.id, params.id ?? "");
  const [history, sampleJob, usage, review, quote] = await Promise.all([
    bookingHistory(booking.id),
    booking.kind === "sample_job" ? sampleJobDetail(booking.id) : null,
    booking.status === "completed" ? usageRecordOf(booking.id) : null,
    reviewOfBooking(booking.id),
    bookingQuote(booking.id),
  ]);
  // Shown at the instrument: scanned by lab staff or the customer, it opens the check-in page.
  const checkInQr =
    booking.kind === "slot" && booking.status === "confirmed"
      ? await QRCode.toString(new URL(`/bookings/${booking.id}/check-in`, request.url).toString(), { type: "svg", margin: 1 })
      : null;
  // What cancelling costs now, told before the customer presses the button (only a confirmed slot costs anything).
  const terms =
    booking.kind === "slot" && booking.status === "confirmed" && quote && booking.period
      ? cancellationTerms(quote.quote, quote.policy, new Date(booking.period.start), new Date())
      : null;
  const cancellation = terms && { ...terms, freeUntil: terms.freeUntil.toISOString() };
  return { booking, sampleJob, checkInQr, quote, cancellation, usage, review, reviewable: isReviewable(booking.status) && !review, history: history.map((e) => ({ id: e.id, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, at: e.at.toISOString() })) };
}

const cancelSchema = z.object({ intent: z.literal("cancel"), reason: z.string().trim().max(500, "validation.tooBig").optional() });

type ActionAnswer = { intent: "cancel" | "review"; errors: Record<string, string>; formError: string | undefined };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const booking = await ownBooking(viewer.id, params.id ?? "");
  const form = await formOf(request);
  if (form.get("intent") === "review") {
    const parsed = parseForm(reviewSchema, form);
    if (!parsed.ok) return data<ActionAnswer>({ intent: "review", errors: parsed.errors, formError: undefined }, { status: 400 });
    const result = await submitReview({ bookingId: booking.id, ...parsed.data }, { userId: viewer.id, ip: clientIp(request, context) });
    if (!result.ok) return data<ActionAnswer>({ intent: "review", errors: {}, formError: `reviews:errors.${result.error}` }, { status: 409 });
    return { intent: "review" as const, errors: {} as Record<string, string>, formError: undefined };
  }
  const parsed = parseForm(cancelSchema, form);
  if (!parsed.ok) return data<ActionAnswer>({ intent: "cancel", errors: parsed.errors, formError: undefined }, { status: 400 });
  const withdraw = booking.kind === "sample_job" ? cancelSampleJob : cancel;
  const result = await withdraw({ bookingId: booking.id, actorUserId: viewer.id, reason: parsed.data.reason, ip: clientIp(request, context) }, new Date());
  if (!result.ok) return data<ActionAnswer>({ intent: "cancel", errors: {}, formError: `booking:errors.${result.reason}` }, { status: 400 });
  return { intent: "cancel" as const, errors: {} as Record<string, string>, formError: undefined };
}

export default function BookingPage() {
  const { booking, sampleJob, history, checkInQr, quote, cancellation, usage, review, reviewable } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const cancellable = (booking.kind === "sample_job" ? availableSampleJobTransitions : availableTransitions)(booking.status).includes("cancel");
  return (
    <section className="section">
      <p>
        <Link to="/bookings">← {t("detail.back")}</Link>
      </p>
      <h1>{t("detail.title", { reference: booking.reference })}</h1>
      <p>
        {booking.kind === "sample_job" ? <span className="chip">{t("samples:kind")}</span> : null}{" "}
        <span className={`chip booking-status booking-status-${booking.status}`}>{t(`booking:status.${booking.status}`)}</span>
      </p>
      {booking.status === "cancelled" && answer && !answer.formError ? (
        <p className="notice" role="status">
          {t("detail.cancelled")}
        </p>
      ) : null}
      <section className="panel">
        <dl className="facts">
          <div>
            <dt>{t("list.instrument")}</dt>
            <dd>
              <Link to={`/instruments/${booking.instrument.slug}`}>{localName(booking.instrument, locale)}</Link> {booking.instrument.model}
            </dd>
          </div>
          {booking.period ? (
            <div>
              <dt>{t("list.time")}</dt>
              <dd>
                {formatSpan(booking.period, booking.zone, locale)} ({booking.zone})
              </dd>
            </div>
          ) : null}
          <div>
            <dt>{t("detail.purpose")}</dt>
            <dd>{booking.purpose || "—"}</dd>
          </div>
          <div>
            <dt>{t("detail.projectReference")}</dt>
            <dd>{booking.projectReference || "—"}</dd>
          </div>
          <div>
            <dt>{t("detail.serviceMode")}</dt>
            <dd>{booking.serviceMode ? t(`common:serviceMode.${booking.serviceMode}`) : "—"}</dd>
          </div>
        </dl>
      </section>
      {quote ? <QuoteTable shown={quote} locale={locale} lead={t("fees:quote.frozenLead", { class: t(`fees:class.${quote.quote.customerClass}`) })} /> : null}
      {sampleJob ? <SampleJobFacts job={sampleJob} locale={locale} reportHref={sampleJob.reportIssuedAt ? `/bookings/${sampleJob.id}/report` : null} /> : null}
      {booking.period ? (
        <p className="booking-invite">
          <a className="button button-secondary" href={`/bookings/${booking.id}/invite.ics`} download>
            {t("calendars:invite.download")}
          </a>{" "}
          <span className="muted">{t("calendars:invite.hint")}</span>
        </p>
      ) : null}
      {booking.kind === "slot" ? (
        <p className="booking-rebook">
          <Link className="button button-secondary" to={`/instruments/${booking.instrument.slug}?rebook=${booking.id}#booking`}>
            {t("rebook.action")}
          </Link>{" "}
          <span className="muted">{t("rebook.hint")}</span>
        </p>
      ) : null}
      {usage ? (
        <section className="panel usage-record">
          <h2>{t("usage:record.heading")}</h2>
          <dl className="facts">
            <div>
              <dt>{t("usage:record.actualTime")}</dt>
              <dd>{formatSpan({ start: usage.startedAt, end: usage.endedAt }, booking.zone, locale)}</dd>
            </div>
            <div>
              <dt>{t("usage:record.effective")}</dt>
              <dd>
                {t("usage:record.minutes", { count: usage.preparationMinutes + usage.measurementMinutes + usage.postProcessingMinutes })}
                {usage.lateStartMinutes > 0 ? ` · ${t("usage:record.late", { minutes: usage.lateStartMinutes })}` : null}
              </dd>
            </div>
            <div>
              <dt>{t("usage:samplesCount")}</dt>
              <dd>{usage.samplesCount}</dd>
            </div>
            <div>
              <dt>{t("usage:operator")}</dt>
              <dd>{usage.operatorName ?? "—"}</dd>
            </div>
          </dl>
        </section>
      ) : null}
      {checkInQr ? (
        <section className="panel check-in-qr">
          <h2>{t("usage:checkIn.qrTitle")}</h2>
          <p>{t("usage:checkIn.qrLead", { before: SELF_CHECK_IN_BEFORE_MINUTES, after: SELF_CHECK_IN_AFTER_MINUTES })}</p>
          {/* The SVG is generated on the server by the qrcode package from the booking's own URL. */}
          <div className="qr-code" role="img" aria-label={t("usage:checkIn.qrLabel", { reference: booking.reference })} dangerouslySetInnerHTML={{ __html: checkInQr }} />
          <p>
            <Link to={`/bookings/${booking.id}/check-in`}>{t("usage:checkIn.submit")}</Link>
          </p>
        </section>
      ) : null}
      <section className="panel">
        <h2>{t("detail.history")}</h2>
        <ol className="booking-history">
          {history.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at, locale, booking.zone)}</time> ·{" "}
              {e.fromStatus ? `${t(`booking:status.${e.fromStatus}`)} → ` : `${t("detail.created")} → `}
              {t(`booking:status.${e.toStatus}`)}
              {e.reason ? ` · ${e.reason}` : null}
            </li>
          ))}
        </ol>
      </section>
      {review ? (
        <section className="panel">
          <h2>{t("reviews:form.yours")}</h2>
          {answer?.intent === "review" && !answer.formError ? (
            <p className="notice" role="status">
              {t("reviews:form.done")}
            </p>
          ) : null}
          {review.hiddenAt ? <p className="muted">{t("reviews:form.hidden", { reason: review.hiddenReason })}</p> : null}
          <ReviewCard review={review} />
        </section>
      ) : reviewable ? (
        <ReviewForm answer={answer?.intent === "review" ? answer : undefined} />
      ) : null}
      <p>
        <Link to={`/complaints/new?booking=${booking.id}`}>{t("complaints:link.booking")}</Link>
      </p>
      {cancellable ? (
        <section className="panel">
          <h2>{t("detail.cancel")}</h2>
          {cancellation ? (
            <p className={cancellation.feeFen > 0 ? "notice notice-warning" : "muted"}>
              {cancellation.feeFen > 0
                ? t("detail.cancelFee", { fee: formatMoney(cancellation.feeFen, locale), percent: cancellation.percent })
                : cancellation.percent > 0
                  ? t("detail.cancelFreeUntil", { time: formatDateTime(cancellation.freeUntil, locale, booking.zone), percent: cancellation.percent })
                  : t("detail.cancelFree")}
            </p>
          ) : null}
          <FormError error={answer?.intent === "cancel" ? answer.formError : undefined} />
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="cancel" />
            <Field label={t("detail.cancelReason")} name="reason" maxLength={500} error={answer?.intent === "cancel" ? answer.errors.reason : undefined} />
            <SubmitButton className="button button-secondary">{t("detail.cancel")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </section>
  );
}

function ReviewForm({ answer }: { answer?: { errors: Record<string, string>; formError?: string } }) {
  const { t } = useTranslation("reviews");
  // Field errors are keys of the common namespace, or carry their own namespace prefix.
  const { t: tError } = useTranslation();
  return (
    <section className="panel form-card" aria-labelledby="review-title">
      <h2 id="review-title">{t("form.title")}</h2>
      <p className="muted">{t("form.lead")}</p>
      <FormError error={answer?.formError} />
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="review" />
        <fieldset className="rating-choice" aria-describedby={answer?.errors.rating ? "rating-error" : undefined}>
          <legend>{t("form.rating")}</legend>
          {reviewRatings.map((r) => (
            <label key={r}>
              <input type="radio" name="rating" value={r} required /> {t(`rating.${r}`)}
            </label>
          ))}
        </fieldset>
        {answer?.errors.rating ? (
          <p className="field-error" id="rating-error" role="alert">
            {tError(answer.errors.rating)}
          </p>
        ) : null}
        <div className={`field${answer?.errors.comment ? " field-invalid" : ""}`}>
          <label htmlFor="review-comment">{t("form.comment")}</label>
          <textarea id="review-comment" name="comment" rows={4} maxLength={2000} aria-describedby="review-comment-hint" />
          <p className="field-hint" id="review-comment-hint">
            {t("form.commentHint")}
          </p>
          {answer?.errors.comment ? (
            <p className="field-error" role="alert">
              {tError(answer.errors.comment)}
            </p>
          ) : null}
        </div>
        <SubmitButton>{t("form.submit")}</SubmitButton>
      </Form>
    </section>
  );
}
