import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { bookingScope } from "~/booking/bookings.server";
import { answerMany, labBookingReferences, labQueue, queueLab } from "~/booking/queue.server";
import { labSampleJobs } from "~/booking/sample-queries.server";
import { availableTransitions, scheduleActions } from "~/booking/states";
import { feedUrlOf } from "~/booking/calendar-feeds.server";
import { formatDay } from "~/booking/time-format";
import { isoDate, parseDateParam, shift } from "~/booking/week.server";
import { localDateOf } from "~/availability/free-intervals";
import { CalendarFeed } from "~/components/calendar-feed";
import { approve, cancel, checkIn, markNoShow, reject, type TransitionResult } from "~/booking/transitions.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDateTime, formatPeriod, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { VerifiedBadge } from "~/components/verified-badge";
import { useLocale } from "~/root";
import { withoutNul } from "~/lib/validation";

export const handle = { i18n: ["common", "manage", "booking", "queue", "samples", "calendars", "usage", "reviews", "verification"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const now = new Date();
  // Another day's schedule on request (?day=YYYY-MM-DD); anything else shows today's.
  const day = parseDateParam(new URL(request.url).searchParams.get("day"));
  const [lab, queue, sampleJobs, t, feedUrl] = await Promise.all([
    queueLab(labId),
    labQueue(labId, now, day),
    labSampleJobs(labId),
    i18nServer.getFixedT(request, "queue"),
    feedUrlOf(viewer.id, labId),
  ]);
  if (!lab) throw notFound();
  const today = localDateOf(now, lab.timeZone);
  const shown = day ?? today;
  const scheduleDay = { date: isoDate(shown), today: isoDate(today), previous: isoDate(shift(shown, -1)), next: isoDate(shift(shown, 1)) };
  return { title: `${lab.nameZh} · ${t("title")} · OpenLab`, lab, ...queue, scheduleDay, now: now.toISOString(), sampleJobs, feedUrl };
}

// Check-out is not among them: it needs the usage record, on its own page.
const single = ["approve", "reject", "cancel", "checkIn", "markNoShow"] as const;
type Single = (typeof single)[number];
const commands: Record<Single, (input: { bookingId: string; actorUserId: string; reason: string }, now: Date) => Promise<TransitionResult>> = {
  approve,
  reject,
  cancel,
  checkIn,
  markNoShow,
};
const intentSchema = z.enum([...single, "bulkApprove", "bulkReject"]);
const reasonSchema = z.string().trim().min(1, "validation.required").max(500, "validation.tooBig").refine(withoutNul, "validation.invalid");
const idsSchema = z.array(z.string().uuid()).max(200);

type Failure = { reference: string; reason: string };
export type QueueResult = { intent: string; bookingId?: string; errors?: Record<string, string>; notice?: string; failed?: Failure[] };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const form = await formOf(request);
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success) return data<QueueResult>({ intent: "", errors: { _form: "validation.invalid" } }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "queue");
  const now = new Date();
  const actor = { actorUserId: viewer.id, ip: clientIp(request, context) };

  if (intent.data === "bulkApprove" || intent.data === "bulkReject") {
    const ids = idsSchema.safeParse(form.getAll("bookingIds").map(String));
    if (!ids.success) throw notFound();
    if (ids.data.length === 0) return data<QueueResult>({ intent: intent.data, errors: { _form: "queue:bulk.noneSelected" } }, { status: 400 });
    let reason = "";
    if (intent.data === "bulkReject") {
      const parsed = reasonSchema.safeParse(form.get("reason") ?? "");
      if (!parsed.success) return data<QueueResult>({ intent: intent.data, errors: { reason: parsed.error.issues[0]!.message } }, { status: 400 });
      reason = parsed.data;
    }
    // Every selected booking must be this lab's before any of them is touched.
    const outcome = await answerMany(labId, intent.data === "bulkApprove" ? "approve" : "reject", { bookingIds: ids.data, ...actor, reason }, now);
    if (!outcome) throw notFound();
    const failed = outcome.failed.map((f) => ({ reference: f.reference, reason: t(`booking:errors.${f.reason}`) }));
    return data<QueueResult>({ intent: intent.data, notice: t("bulk.result", { count: outcome.succeeded }), failed });
  }

  const bookingId = z.string().uuid().safeParse(form.get("bookingId"));
  if (!bookingId.success) throw notFound();
  const scope = await bookingScope(bookingId.data);
  if (!scope || scope.labId !== labId) throw notFound();
  let reason = "";
  // The customer is told why the lab refused or withdrew their booking.
  if (intent.data === "reject" || intent.data === "cancel") {
    const parsed = reasonSchema.safeParse(form.get("reason") ?? "");
    if (!parsed.success) return data<QueueResult>({ intent: intent.data, bookingId: bookingId.data, errors: { reason: parsed.error.issues[0]!.message } }, { status: 400 });
    reason = parsed.data;
  }
  const result = await commands[intent.data]({ bookingId: bookingId.data, ...actor, reason }, now);
  if (!result.ok) {
    const status = result.reason === "not_found" ? 404 : result.reason === "reason_required" ? 400 : 409;
    return data<QueueResult>({ intent: intent.data, bookingId: bookingId.data, errors: { _form: `booking:errors.${result.reason}` } }, { status });
  }
  const [reference] = (await labBookingReferences(labId, [bookingId.data])).values();
  return data<QueueResult>({ intent: intent.data, notice: t(result.changed ? `done.${intent.data}` : "done.unchanged", { reference }) });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["pending"][number];

export default function LabBookings() {
  const { lab, pending, schedule, scheduleDay, now, unfinished, sampleJobs, feedUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as QueueResult | undefined;
  const { t } = useTranslation("queue");
  const locale = useLocale();
  const when = (row: Row) => (row.period ? formatPeriod(row.period, locale, lab.timeZone) : "");
  type Names = Pick<Row, "userName" | "organizationNameZh" | "organizationNameEn" | "organizationVerifiedAt" | "instrumentNameZh" | "instrumentNameEn">;
  const customer = (row: Names) => (
    <>
      {row.userName}
      <div className="muted">
        {localName({ nameZh: row.organizationNameZh, nameEn: row.organizationNameEn }, locale)} <VerifiedBadge verifiedAt={row.organizationVerifiedAt} />
      </div>
    </>
  );
  const instrument = (row: Names) => localName({ nameZh: row.instrumentNameZh, nameEn: row.instrumentNameEn }, locale);
  const rowError = (row: Row) => (result?.bookingId === row.id ? result.errors : undefined);
  // Rejecting a request or cancelling a booking: a reason the customer will read, behind a click.
  const reasonForm = (row: Row, intent: "reject" | "cancel") => (
    <details className="queue-reject" open={result?.intent === intent && Boolean(rowError(row)?.reason)}>
      <summary aria-label={t(`${intent}.row`, { reference: row.reference })}>{t(`${intent}.open`)}</summary>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="bookingId" value={row.id} />
        <Field
          id={`${intent}-reason-${row.id}`}
          label={t(`${intent}.reason`)}
          hint={t(`${intent}.hint`)}
          name="reason"
          required
          maxLength={500}
          error={result?.intent === intent ? rowError(row)?.reason : undefined}
        />
        <SubmitButton name="intent" value={intent} className="button button-secondary button-compact">
          {t(`${intent}.confirm`)}
        </SubmitButton>
      </Form>
    </details>
  );
  const isToday = scheduleDay.date === scheduleDay.today;
  const schedulePath = `/manage/labs/${lab.id}/bookings`;
  const dayAhead = scheduleDay.date > scheduleDay.today;
  const started = (row: Row) => row.period !== null && new Date(row.period.start).getTime() <= Date.parse(now);
  const dayName = formatDay(`${scheduleDay.date}T12:00:00Z`, "UTC", locale);
  // Today's schedule and the sessions left in use on earlier days: the same rows and actions.
  const scheduleTable = (rows: Row[], caption: string) => (
    <div className="table-wrap">
      <table className="manage-table queue-table stack-on-phone">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("pending.period")}</th>
            <th scope="col">{t("pending.reference")}</th>
            <th scope="col">{t("pending.instrument")}</th>
            <th scope="col">{t("pending.customer")}</th>
            <th scope="col">{t("pending.purpose")}</th>
            <th scope="col">{t("today.status")}</th>
            <th scope="col">{t("pending.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{when(row)}</td>
              <td>{row.reference}</td>
              <td>{instrument(row)}</td>
              <td>{customer(row)}</td>
              <td>{row.purpose}</td>
              <td>
                <span className="chip">{t(`booking:status.${row.status}`)}</span>
              </td>
              <td>
                <div className="row-actions">
                  {availableTransitions(row.status).includes("checkOut") ? (
                    <Link
                      to={`/manage/labs/${lab.id}/bookings/${row.id}/check-out`}
                      className="button button-compact"
                      aria-label={t("usage:checkOutRow", { reference: row.reference })}
                    >
                      {t("usage:checkOut")}
                    </Link>
                  ) : null}
                  {scheduleActions(row.status, { dayAhead, started: started(row) }).map((a) => (
                    <Form key={a} method="post">
                      <CsrfInput />
                      <input type="hidden" name="bookingId" value={row.id} />
                      <button
                        type="submit"
                        name="intent"
                        value={a}
                        className={`button button-compact${a === "markNoShow" ? " button-secondary" : ""}`}
                        aria-label={t("today.actionRow", { action: t(`today.${a}`), reference: row.reference })}
                      >
                        {t(`today.${a}`)}
                      </button>
                    </Form>
                  ))}
                  {availableTransitions(row.status).includes("cancel") ? reasonForm(row, "cancel") : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="section manage queue-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> /{" "}
        {t("title")}
      </nav>
      <h1>{t("heading", { lab: localName(lab, locale) })}</h1>
      <p className="lead-muted">{t("lead", { zone: lab.timeZone })}</p>
      <p>
        <Link to={`/manage/labs/${lab.id}/reviews`}>{t("reviews:lab.link")}</Link>
      </p>
      {result?.notice ? (
        <div className="notice" role="status">
          <p>{result.notice}</p>
          {result.failed?.length ? (
            <>
              <p>{t("bulk.failed")}</p>
              <ul>
                {result.failed.map((f) => (
                  <li key={f.reference}>
                    {f.reference}：{f.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      <FormError error={result?.errors?._form} />

      <h2 id="pending">{t("pending.title")}</h2>
      {pending.length === 0 ? (
        <p className="empty">{t("pending.empty")}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="manage-table queue-table stack-on-phone">
              <caption className="visually-hidden">{t("pending.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">{t("pending.select")}</span>
                  </th>
                  <th scope="col">{t("pending.reference")}</th>
                  <th scope="col">{t("pending.customer")}</th>
                  <th scope="col">{t("pending.instrument")}</th>
                  <th scope="col">{t("pending.period")}</th>
                  <th scope="col">{t("pending.purpose")}</th>
                  <th scope="col">{t("pending.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {pending.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <input type="checkbox" name="bookingIds" value={row.id} form="bulk-form" aria-label={t("pending.selectRow", { reference: row.reference })} />
                    </td>
                    <td>{row.reference}</td>
                    <td>{customer(row)}</td>
                    <td>{instrument(row)}</td>
                    <td>{when(row)}</td>
                    <td>{row.purpose}</td>
                    <td>
                      <div className="row-actions">
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="bookingId" value={row.id} />
                          <button type="submit" name="intent" value="approve" className="button button-compact" aria-label={t("pending.approveRow", { reference: row.reference })}>
                            {t("pending.approve")}
                          </button>
                        </Form>
                        {reasonForm(row, "reject")}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Form method="post" id="bulk-form" className="panel queue-bulk">
            <CsrfInput />
            <h3>{t("bulk.title")}</h3>
            <Field id="bulk-reason" label={t("bulk.reason")} name="reason" maxLength={500} error={result?.intent === "bulkReject" ? result.errors?.reason : undefined} />
            <div className="row-actions">
              <SubmitButton name="intent" value="bulkApprove">
                {t("bulk.approve")}
              </SubmitButton>
              <SubmitButton name="intent" value="bulkReject" className="button button-secondary">
                {t("bulk.reject")}
              </SubmitButton>
            </div>
          </Form>
        </>
      )}

      {unfinished.length > 0 ? (
        <>
          <h2 id="unfinished">{t("unfinished.title")}</h2>
          <p className="notice notice-warning">{t("unfinished.lead")}</p>
          {scheduleTable(unfinished, t("unfinished.caption"))}
        </>
      ) : null}

      <h2 id="today">{isToday ? t("today.title") : t("day.title", { date: dayName })}</h2>
      <nav className="day-nav" aria-label={t("day.nav")}>
        <Link to={`${schedulePath}?day=${scheduleDay.previous}#today`} rel="prev">
          ← {t("day.previous")}
        </Link>
        {isToday ? null : <Link to={`${schedulePath}#today`}>{t("day.today")}</Link>}
        <Link to={`${schedulePath}?day=${scheduleDay.next}#today`} rel="next">
          {t("day.next")} →
        </Link>
      </nav>
      {schedule.length === 0 ? (
        <p className="empty">{isToday ? t("today.empty") : t("day.empty", { date: dayName })}</p>
      ) : (
        scheduleTable(schedule, isToday ? t("today.caption") : t("day.caption", { date: dayName }))
      )}

      <h2 id="sample-jobs">{t("samples:queue.title")}</h2>
      {sampleJobs.length === 0 ? (
        <p className="empty">{t("samples:queue.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="manage-table queue-table stack-on-phone">
            <caption className="visually-hidden">{t("samples:queue.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("samples:queue.reference")}</th>
                <th scope="col">{t("samples:queue.customer")}</th>
                <th scope="col">{t("samples:queue.instrument")}</th>
                <th scope="col">{t("samples:queue.requested")}</th>
                <th scope="col">{t("samples:queue.status")}</th>
                <th scope="col">{t("pending.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {sampleJobs.map((row) => (
                <tr key={row.id}>
                  <td>{row.reference}</td>
                  <td>{customer(row)}</td>
                  <td>{instrument(row)}</td>
                  <td>{formatDateTime(row.createdAt, locale, lab.timeZone)}</td>
                  <td>
                    <span className="chip">{t(`booking:status.${row.status}`)}</span>
                  </td>
                  <td>
                    <Link className="button button-compact" to={`/manage/labs/${lab.id}/samples/${row.id}`} aria-label={t("samples:queue.openRow", { reference: row.reference })}>
                      {t("samples:queue.open")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CalendarFeed url={feedUrl} labId={lab.id} lead={t("calendars:feed.labLead")} />
    </section>
  );
}
