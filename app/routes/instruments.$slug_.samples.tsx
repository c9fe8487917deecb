import { randomUUID } from "node:crypto";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { sampleHazards, sampleRemains } from "../../db/schema/booking-vocabulary";
import { notFound, requireCustomer } from "~/accounts/authz.server";
import { bookingTarget, customerOrganizationOf, requestTarget } from "~/booking/reservations.server";
import { lineCount, MAX_SAMPLE_LINES, parseSampleJobForm, rawLine } from "~/booking/sample-form";
import { requestSampleJob } from "~/booking/sample-jobs.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import type { FieldErrors } from "~/lib/validation";
import { VerificationWayOut } from "~/components/verified-badge";
import { useLocale } from "~/root";
import { inReadersLanguage, metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "reserve", "booking", "samples", "verification"] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.instrument ? `${localName(data.instrument, metaLocale(matches))} — ${inReadersLanguage(matches, "送样检测", "Send samples")} | OpenLab` : "OpenLab" },
  { name: "robots", content: "noindex" },
];

const takesSamples = (instrument: { serviceModes: string[] }) => instrument.serviceModes.includes("sample_submission");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCustomer(request);
  const instrument = await bookingTarget(params.slug ?? "");
  if (!instrument || !takesSamples(instrument)) throw notFound();
  // The key travels with the form: submitting it twice files one job.
  return { instrument, requestKey: randomUUID() };
}

type Values = { fields: Record<string, string>; lines: Record<string, unknown>[] };
type ActionResult = { errors: FieldErrors; formError?: string; values: Values; unverified?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireCustomer(request);
  const organizationId = customerOrganizationOf(viewer)!;
  const target = await requestTarget(params.slug ?? "", organizationId);
  if (!target || !takesSamples(target.instrument)) throw notFound();
  const { instrument } = target;
  const form = await formOf(request);
  const lines = lineCount(form.get("lines"));
  const values: Values = {
    fields: Object.fromEntries(["purpose", "projectReference", "remains", "requestKey"].map((k) => [k, String(form.get(k) ?? "").slice(0, 1000)])),
    lines: Array.from({ length: lines }, (_, i) => rawLine(form, i)),
  };
  // "Add a line" re-renders the form with what was typed and one more empty line.
  if (form.get("intent") === "addLine") {
    values.lines.push({});
    return data<ActionResult>({ errors: {}, values: { ...values, lines: values.lines.slice(0, MAX_SAMPLE_LINES) } });
  }
  const parsed = parseSampleJobForm(form);
  if (!parsed.ok) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });
  if (target.unverified)
    return data<ActionResult>({ errors: {}, formError: "verification:refusal.firstBooking", values, unverified: organizationId }, { status: 403 });
  const result = await requestSampleJob(
    { ...parsed.data, instrumentId: instrument.id, userId: viewer.id, organizationId },
    new Date(),
  );
  if (!result.ok) return data<ActionResult>({ errors: {}, formError: `booking:errors.${result.reason}`, values }, { status: 400 });
  throw redirect(`/bookings/${result.bookingId}`);
}

export default function RequestSampleJob() {
  const { instrument, requestKey } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("samples");
  const locale = useLocale();
  const errors: FieldErrors = answer?.errors ?? {};
  const fields = answer?.values.fields ?? {};
  const lines = answer?.values.lines ?? [{}];
  const text = (line: Record<string, unknown>, key: string) => (typeof line[key] === "string" ? (line[key] as string) : "");
  return (
    <section className="form-card wide sample-form">
      <p>
        <Link to={`/instruments/${instrument.slug}`}>← {t("reserve:book.back")}</Link>
      </p>
      <h1>{t("request.title", { name: localName(instrument, locale) })}</h1>
      <p className="lead-muted">{t("request.lead")}</p>
      <FormError error={answer?.formError} />
      <VerificationWayOut organizationId={answer?.unverified} />
      <Form method="post" noValidate>
        <CsrfInput />
        <input type="hidden" name="requestKey" value={fields.requestKey || requestKey} />
        <input type="hidden" name="lines" value={lines.length} />
        <h2>{t("request.samples")}</h2>
        {lines.map((line, i) => {
          const hazards = Array.isArray(line.hazards) ? (line.hazards as string[]) : [];
          const err = (k: string) => errors[`samples.${i}.${k}`];
          return (
            <fieldset key={i} className="sample-line">
              <legend>{t("request.line", { n: i + 1 })}</legend>
              <Field id={`s${i}-name`} label={t("request.name")} name={`samples.${i}.name`} required={i === 0} maxLength={200} defaultValue={text(line, "name")} error={err("name")} />
              <Field id={`s${i}-count`} label={t("request.count")} name={`samples.${i}.count`} type="number" min={1} max={100000} inputMode="numeric" defaultValue={text(line, "count")} error={err("count")} />
              <Field id={`s${i}-matrix`} label={t("request.matrix")} hint={t("request.matrixHint")} name={`samples.${i}.matrix`} maxLength={200} defaultValue={text(line, "matrix")} error={err("matrix")} />
              <fieldset className="checkbox-group">
                <legend>{t("request.hazards")}</legend>
                {sampleHazards.map((h) => (
                  <label key={h} className="checkbox">
                    <input type="checkbox" name={`samples.${i}.hazards`} value={h} defaultChecked={hazards.includes(h)} /> {t(`hazard.${h}`)}
                  </label>
                ))}
                {err("hazards") ? (
                  <p className="field-error" role="alert">
                    {t(err("hazards")!)}
                  </p>
                ) : null}
              </fieldset>
              <Field id={`s${i}-hazardNote`} label={t("request.hazardNote")} hint={t("request.hazardNoteHint")} name={`samples.${i}.hazardNote`} maxLength={500} defaultValue={text(line, "hazardNote")} error={err("hazardNote")} />
              <Field id={`s${i}-requiredTests`} label={t("request.requiredTests")} hint={t("request.requiredTestsHint")} name={`samples.${i}.requiredTests`} maxLength={1000} defaultValue={text(line, "requiredTests")} error={err("requiredTests")} />
            </fieldset>
          );
        })}
        {lines.length < MAX_SAMPLE_LINES ? (
          <p>
            <button type="submit" name="intent" value="addLine" className="button button-secondary" formNoValidate>
              {t("request.addLine")}
            </button>
          </p>
        ) : null}
        <Field label={t("request.purpose")} name="purpose" required maxLength={500} defaultValue={fields.purpose} error={errors.purpose} />
        <Field label={t("request.projectReference")} name="projectReference" maxLength={120} defaultValue={fields.projectReference} error={errors.projectReference} />
        <fieldset className={`radio-group${errors.remains ? " field-invalid" : ""}`}>
          <legend>{t("request.remains")}</legend>
          {sampleRemains.map((r) => (
            <label key={r} className="checkbox">
              <input type="radio" name="remains" value={r} defaultChecked={(fields.remains || "return") === r} /> {t(`remains.${r}`)}
            </label>
          ))}
          {errors.remains ? (
            <p className="field-error" role="alert">
              {t(errors.remains)}
            </p>
          ) : null}
        </fieldset>
        <SubmitButton name="intent" value="submit">
          {t("request.submit")}
        </SubmitButton>
      </Form>
    </section>
  );
}
