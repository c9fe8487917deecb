import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { instrumentTimeSchema, receiveSamplesSchema } from "~/booking/sample-form";
import {
  acceptSampleJob,
  completeSampleJob,
  receiveSamples,
  recordSampleJobTime,
  rejectSampleJob,
  startTesting,
} from "~/booking/sample-jobs.server";
import { sampleJobDetail } from "~/booking/sample-queries.server";
import { issueReport, uploadReport } from "~/booking/sample-reports.server";
import { availableSampleJobTransitions, canRecordTime, canUploadReport } from "~/booking/sample-states";
import { bookingHistory } from "~/booking/transitions.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { SampleJobFacts } from "~/components/sample-job-facts";
import { formOf } from "~/lib/form.server";
import { formatDateTime, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { useLocale } from "~/root";
import { dateTimeFormat } from "~/lib/intl";

export const handle = { i18n: ["common", "manage", "booking", "queue", "reserve", "samples"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

/** The job if it belongs to this lab; any other id is 404. */
async function labJob(labId: string, bookingId: string) {
  const job = await sampleJobDetail(bookingId);
  if (!job || job.labId !== labId) throw notFound();
  return job;
}

/** "YYYY-MM-DDTHH:mm" of the lab's wall clock, for datetime-local defaults. */
const wallClock = (at: Date, zone: string) =>
  dateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(at).replace(" ", "T");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const labId = params.labId ?? "";
  await requireLabStaff(request, labId);
  const job = await labJob(labId, params.bookingId ?? "");
  const [history, t] = await Promise.all([bookingHistory(job.id), i18nServer.getFixedT(request, "samples")]);
  return {
    title: `${t("job.title", { reference: job.reference })} · OpenLab`,
    job,
    now: wallClock(new Date(), job.zone),
    history: history.map((e) => ({ id: e.id, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, at: e.at.toISOString() })),
  };
}

const intentSchema = z.enum(["accept", "reject", "receiveSamples", "startTesting", "time", "upload", "issueReport", "complete"]);
const reasonSchema = z.object({ reason: z.string().trim().min(1, "validation.required").max(500, "validation.tooBig") });

/** Refusals only sample jobs have; the others share the booking messages. */
const sampleReasons = new Set(["received_at_invalid", "started_at_invalid", "report_missing"]);

type ActionResult = { intent: string; errors?: FieldErrors; formError?: string; notice?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const job = await labJob(labId, params.bookingId ?? "");
  const form = await formOf(request);
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success) return data<ActionResult>({ intent: "", formError: "validation.invalid" }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "samples");
  const now = new Date();
  const actor = { bookingId: job.id, actorUserId: viewer.id };
  const invalid = (errors: FieldErrors) => data<ActionResult>({ intent: intent.data, errors }, { status: 400 });
  const refused = (reason: string) =>
    data<ActionResult>(
      { intent: intent.data, formError: sampleReasons.has(reason) ? `samples:errors.${reason}` : `booking:errors.${reason}` },
      { status: reason === "not_found" ? 404 : reason === "invalid_transition" ? 409 : 400 },
    );

  let result: { ok: true; changed?: boolean } | { ok: false; reason: string };
  switch (intent.data) {
    case "accept":
      result = await acceptSampleJob(actor, now);
      break;
    case "reject": {
      const parsed = parseForm(reasonSchema, form);
      if (!parsed.ok) return invalid(parsed.errors);
      result = await rejectSampleJob({ ...actor, reason: parsed.data.reason }, now);
      break;
    }
    case "receiveSamples": {
      const parsed = parseForm(receiveSamplesSchema, form);
      if (!parsed.ok) return invalid(parsed.errors);
      result = await receiveSamples({ ...actor, ...parsed.data }, now);
      break;
    }
    case "startTesting":
      result = await startTesting(actor, now);
      break;
    case "time": {
      const parsed = parseForm(instrumentTimeSchema, form);
      if (!parsed.ok) return invalid(parsed.errors);
      result = await recordSampleJobTime({ ...actor, actorUserId: viewer.id, ...parsed.data }, now);
      break;
    }
    case "upload": {
      const file = form.get("report");
      result = await uploadReport({ ...actor, actorUserId: viewer.id, file: file instanceof File ? file : null }, now);
      if (!result.ok && ["missing", "too_big", "not_pdf"].includes(result.reason)) return invalid({ report: `samples:errors.${result.reason}` });
      break;
    }
    case "issueReport":
      result = await issueReport({ ...actor, origin: new URL(request.url).origin }, now);
      break;
    case "complete":
      result = await completeSampleJob(actor, now);
      break;
  }
  if (!result.ok) return refused(result.reason);
  const notice = result.changed === false ? t("done.unchanged") : t(`done.${intent.data}`, { reference: job.reference });
  return data<ActionResult>({ intent: intent.data, notice });
}

export default function LabSampleJob() {
  const { job, now, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const { t } = useTranslation("samples");
  const locale = useLocale();
  const can = availableSampleJobTransitions(job.status);
  const errorsOf = (intent: string) => (result?.intent === intent ? (result.errors ?? {}) : {});
  const step = (intent: "accept" | "startTesting" | "complete", secondary = false) => (
    <Form method="post">
      <CsrfInput />
      <SubmitButton name="intent" value={intent} className={`button${secondary ? " button-secondary" : ""}`}>
        {t(`job.${intent}`)}
      </SubmitButton>
    </Form>
  );
  return (
    <section className="section manage sample-job-page">
      <p>
        <Link to={`/manage/labs/${job.labId}/bookings`}>← {t("job.back")}</Link>
      </p>
      <h1>{t("job.title", { reference: job.reference })}</h1>
      <p>
        <span className={`chip booking-status booking-status-${job.status}`}>{t(`booking:status.${job.status}`)}</span>
      </p>
      {result?.notice ? (
        <p className="notice" role="status">
          {result.notice}
        </p>
      ) : null}
      <FormError error={result?.formError} />
      <section className="panel">
        <dl className="facts">
          <div>
            <dt>{t("job.customer")}</dt>
            <dd>
              {job.customerName} · {localName({ nameZh: job.organizationNameZh, nameEn: job.organizationNameEn }, locale)}
            </dd>
          </div>
          <div>
            <dt>{t("queue.instrument")}</dt>
            <dd>{localName(job.instrument, locale)}</dd>
          </div>
          <div>
            <dt>{t("job.purpose")}</dt>
            <dd>{job.purpose}</dd>
          </div>
          <div>
            <dt>{t("job.projectReference")}</dt>
            <dd>{job.projectReference || "—"}</dd>
          </div>
        </dl>
      </section>
      <SampleJobFacts job={job} locale={locale} reportHref={job.reportUploadedAt ? `/bookings/${job.id}/report` : null} />

      <section className="panel sample-actions">
        <p className="lead-muted">{t("job.zone", { zone: job.zone })}</p>
        {can.includes("accept") ? (
          <div className="row-actions">
            {step("accept")}
            <details className="queue-reject" open={Boolean(errorsOf("reject").reason)}>
              <summary>{t("job.reject")}</summary>
              <Form method="post">
                <CsrfInput />
                <Field label={t("job.reason")} hint={t("job.rejectHint")} name="reason" required maxLength={500} error={errorsOf("reject").reason} />
                <SubmitButton name="intent" value="reject" className="button button-secondary">
                  {t("job.confirmReject")}
                </SubmitButton>
              </Form>
            </details>
          </div>
        ) : null}
        {can.includes("receiveSamples") ? (
          <Form method="post">
            <CsrfInput />
            <h2>{t("job.receive")}</h2>
            <Field label={t("job.receivedAt")} name="receivedAt" type="datetime-local" required defaultValue={now} error={errorsOf("receiveSamples").receivedAt} />
            <Field label={t("job.condition")} hint={t("job.conditionHint")} name="condition" maxLength={1000} error={errorsOf("receiveSamples").condition} />
            <SubmitButton name="intent" value="receiveSamples">
              {t("job.receive")}
            </SubmitButton>
          </Form>
        ) : null}
        {can.includes("startTesting") ? step("startTesting") : null}
        {canRecordTime(job.status) ? (
          <Form method="post">
            <CsrfInput />
            <h2>{t("job.time")}</h2>
            <Field label={t("job.startedAt")} name="startedAt" type="datetime-local" required defaultValue={job.usage ? wallClockOf(job.usage.startedAt, job.zone) : now} error={errorsOf("time").startedAt} />
            {(["preparationMinutes", "measurementMinutes", "postProcessingMinutes"] as const).map((k) => (
              <Field key={k} label={t(`job.${k}`)} name={k} type="number" min={0} max={10000} inputMode="numeric" required defaultValue={job.usage ? job.usage[k] : 0} error={errorsOf("time")[k]} />
            ))}
            <Field
              label={t("job.samplesCount")}
              name="samplesCount"
              type="number"
              min={1}
              inputMode="numeric"
              required
              defaultValue={job.usage?.samplesCount ?? job.lines.reduce((n, l) => n + l.count, 0)}
              error={errorsOf("time").samplesCount}
            />
            <Field label={t("job.note")} name="note" maxLength={1000} defaultValue={job.usage?.note ?? ""} error={errorsOf("time").note} />
            <SubmitButton name="intent" value="time">
              {t("job.saveTime")}
            </SubmitButton>
          </Form>
        ) : null}
        {canUploadReport(job.status) ? (
          <Form method="post" encType="multipart/form-data">
            <CsrfInput />
            <h2>{t("job.upload")}</h2>
            {job.reportFileName ? <p>{t("job.uploaded", { name: job.reportFileName, size: Math.ceil((job.reportSizeBytes ?? 0) / 1024) })}</p> : null}
            <Field label={t("job.reportFile")} name="report" type="file" accept="application/pdf,.pdf" required error={errorsOf("upload").report} />
            <SubmitButton name="intent" value="upload" className="button button-secondary">
              {t("job.uploadButton")}
            </SubmitButton>
          </Form>
        ) : null}
        {can.includes("issueReport") ? (
          <Form method="post">
            <CsrfInput />
            <h2>{t("job.issue")}</h2>
            <p className="muted">{t("job.issueHint")}</p>
            <SubmitButton name="intent" value="issueReport">
              {t("job.issue")}
            </SubmitButton>
          </Form>
        ) : null}
        {can.includes("complete") ? step("complete") : null}
      </section>

      <section className="panel">
        <h2>{t("reserve:detail.history")}</h2>
        <ol className="booking-history">
          {history.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at, locale, job.zone)}</time> ·{" "}
              {e.fromStatus ? `${t(`booking:status.${e.fromStatus}`)} → ` : `${t("reserve:detail.created")} → `}
              {t(`booking:status.${e.toStatus}`)}
              {e.reason ? ` · ${e.reason}` : null}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

function wallClockOf(iso: string, zone: string) {
  return wallClock(new Date(iso), zone);
}
