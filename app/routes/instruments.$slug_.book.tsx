import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound, requireCustomer } from "~/accounts/authz.server";
import { quoteForSlot } from "~/billing/rates.server";
import { requestSlot, type Verdict } from "~/booking/bookings.server";
import { qualificationStanding } from "~/booking/qualifications.server";
import { MAX_WEEKS } from "~/booking/recurrence";
import { bookingFormSchema, bookingTarget, customerOrganizationOf, rebookParamSchema, rebookSource, requestTarget, slotQuerySchema } from "~/booking/reservations.server";
import { bookSeries, previewSeries, type Occurrence } from "~/booking/series.server";
import { formatSpan } from "~/booking/time-format";
import { bookHref } from "~/booking/week-cells";
import { QuoteTable } from "~/components/fees";
import { CsrfInput, Field, SubmitButton } from "~/components/forms";
import { QualificationStanding } from "~/components/qualification-standing";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { parseForm } from "~/lib/validation";
import { clientIp } from "~/lib/rate-limit.server";
import { VerificationWayOut } from "~/components/verified-badge";
import { useLocale } from "~/root";
import { inReadersLanguage, metaLocale } from "~/lib/meta";

export const handle = { i18n: ["common", "reserve", "booking", "training", "trust", "verification", "fees"] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.instrument ? `${localName(data.instrument, metaLocale(matches))} — ${inReadersLanguage(matches, "预约", "Book")} | OpenLab` : "OpenLab" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireCustomer(request);
  const instrument = await bookingTarget(params.slug ?? "");
  if (!instrument) throw notFound();
  const url = new URL(request.url);
  const [standing, rebook] = await Promise.all([
    qualificationStanding(viewer.id, instrument.id, new Date()),
    // 再次预约: the form starts from the viewer's earlier booking here; any other id is ignored.
    rebookSource(viewer.id, rebookParamSchema.parse(url.searchParams.get("rebook")), instrument.id),
  ]);
  const slot = slotQuerySchema.safeParse({ start: url.searchParams.get("start"), end: url.searchParams.get("end") });
  if (!slot.success) return data({ instrument, standing, rebook, slot: null, pricing: null }, { status: 400 });
  // The price as it would be frozen if the request went out now (service mode: the form's default).
  const pricing = await quoteForSlot({
    organizationId: customerOrganizationOf(viewer)!,
    instrumentId: instrument.id,
    start: slot.data.start,
    end: slot.data.end,
    serviceMode: defaultServiceMode(instrument.serviceModes, rebook?.serviceMode),
  });
  return { instrument, standing, rebook, pricing, slot: { start: slot.data.start.toISOString(), end: slot.data.end.toISOString() } };
}

/** The form's service mode: the rebooked booking's when the instrument still offers it, else the instrument's first. */
const defaultServiceMode = <M extends string>(offered: readonly M[], rebooked?: M | null): M | null =>
  rebooked && offered.includes(rebooked) ? rebooked : (offered[0] ?? null);

// A single booking sends neither field: their defaults are given as such, not caught from a
// failed parse, whose issues cost every booking request a few hundredths of a millisecond.
const seriesSchema = z.object({
  weeks: z.coerce.number().int().min(1, "validation.choice").max(MAX_WEEKS, "validation.choice").catch(1).default(1),
  intent: z.enum(["request", "bookSeries"]).catch("request").default("request"),
  occurrence: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().datetime({ offset: true })).max(MAX_WEEKS)),
});

type PreviewRow = { start: string; end: string; fits: boolean; confirmed: boolean; reason?: string; params?: Record<string, number> };
type Answer = {
  errors: Record<string, string>;
  formError?: string;
  formParams?: Record<string, number>;
  alternatives: { start: string; end: string }[];
  /** The fields travel again with the confirmation, exactly as the customer previewed them. */
  preview?: { weeks: number; rows: PreviewRow[]; fields: { purpose: string; projectReference: string; serviceMode: string } };
  /** Refused by the credit rules: the page links to /credit for the reason and the way out. */
  blocked?: boolean;
  /** Refused by the first-booking verification rule: the organisation to get verified. */
  unverified?: string;
};

/** The i18n key (and figures) that explain a refusal. */
function refusalMessage(verdict: Exclude<Verdict, { ok: true }>): { key: string; params?: Record<string, number> } {
  switch (verdict.reason) {
    case "over_quota":
      return { key: "training:errors.over_quota", params: { used: verdict.quota.usedMinutes, remaining: verdict.quota.remainingMinutes, quota: verdict.quota.quotaMinutes } };
    case "blocked":
      return { key: `trust:credit.blocked.${verdict.block.rule}` };
    case "unverified":
      return { key: "verification:refusal.firstBooking" };
    case "service_mode":
      return { key: "validation.choice" };
    case "conflict":
    case "qualification_required":
    case "qualification_expired":
      return { key: `training:errors.${verdict.reason}` };
    default:
      return { key: `booking:errors.${verdict.reason}` };
  }
}

const previewRows = (occurrences: Occurrence[]): PreviewRow[] =>
  occurrences.map((o) => {
    const base = { start: o.start.toISOString(), end: o.end.toISOString() };
    if (o.verdict.ok) return { ...base, fits: true, confirmed: o.verdict.status === "confirmed" };
    const message = refusalMessage(o.verdict);
    return { ...base, fits: false, confirmed: false, reason: message.key, params: message.params };
  });

const serviceModeRefused = () => data<Answer>({ errors: { serviceMode: "validation.choice" }, alternatives: [] }, { status: 400 });
const unverifiedRefused = (organizationId: string) =>
  data<Answer>({ errors: {}, formError: "verification:refusal.firstBooking", alternatives: [], unverified: organizationId }, { status: 403 });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireCustomer(request);
  // requireCustomer guarantees a customer or org_admin membership.
  const organizationId = customerOrganizationOf(viewer)!;
  const slug = params.slug ?? "";
  const form = await formOf(request);
  const parsed = parseForm(bookingFormSchema, form);
  const series = parseForm(seriesSchema, form);
  if (!parsed.ok) return data<Answer>({ errors: parsed.errors, alternatives: [] }, { status: 400 });
  if (!series.ok) return data<Answer>({ errors: series.errors, alternatives: [] }, { status: 400 });
  const { start, end, purpose, projectReference, serviceMode } = parsed.data;
  const slotRequest = {
    userId: viewer.id,
    organizationId,
    start: new Date(start),
    end: new Date(end),
    purpose,
    projectReference,
    serviceMode: serviceMode ?? null,
    ip: clientIp(request, context),
  };
  const now = new Date();
  const { weeks, intent, occurrence } = series.data;
  const fields = { purpose, projectReference, serviceMode: serviceMode ?? "" };

  if (weeks > 1) {
    const target = await requestTarget(slug, organizationId);
    if (!target) throw notFound();
    if (serviceMode && !target.instrument.serviceModes.includes(serviceMode)) return serviceModeRefused();
    if (target.unverified) return unverifiedRefused(organizationId);
    const seriesRequest = { ...slotRequest, instrumentId: target.instrument.id };
    if (intent === "bookSeries") {
      const booked = await bookSeries(seriesRequest, weeks, occurrence.map((o) => new Date(o)), now);
      if (booked.ok) throw redirect(`/bookings/${booked.bookings[0]!.id}`);
      if (booked.reason === "instrument_unavailable") throw notFound();
      return data<Answer>({ errors: {}, formError: "training:errors.series_changed", alternatives: [], preview: { weeks, rows: previewRows(booked.occurrences), fields } }, { status: 409 });
    }
    if (!(seriesRequest.end > seriesRequest.start)) return data<Answer>({ errors: { start: "reserve:validation.slot" }, alternatives: [] }, { status: 400 });
    const occurrences = await previewSeries(seriesRequest, weeks, now);
    if (!occurrences) throw notFound();
    return data<Answer>({ errors: {}, alternatives: [], preview: { weeks, rows: previewRows(occurrences), fields } });
  }

  // One slot: the instrument is read by its slug in the statement that reads the request's context.
  const result = await requestSlot({ ...slotRequest, slug }, now);
  if (result.ok) throw redirect(`/bookings/${result.booking.id}`);
  switch (result.reason) {
    case "instrument_unavailable":
      throw notFound();
    case "service_mode":
      return serviceModeRefused();
    case "unverified":
      return unverifiedRefused(organizationId);
    case "blocked":
      // The block's reason and the way out are on the customer's credit record page.
      return data<Answer>({ errors: {}, formError: refusalMessage(result).key, alternatives: [], blocked: true }, { status: 403 });
    case "slot_taken": {
      const alternatives = result.alternatives.map((a) => ({ start: a.start.toISOString(), end: a.end.toISOString() }));
      return data<Answer>({ errors: {}, formError: "booking:errors.slot_taken", alternatives }, { status: 409 });
    }
  }
  const message = refusalMessage(result);
  return data<Answer>({ errors: {}, formError: message.key, formParams: message.params, alternatives: [] }, { status: 400 });
}

export default function BookSlot() {
  const { instrument, slot, standing, pricing, rebook } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as Answer | undefined;
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const name = localName(instrument, locale);
  const errors: Record<string, string> = answer?.errors ?? {};
  const link = (s: { start: string; end: string }) => bookHref(instrument.slug, s, rebook?.id);
  const formError = answer?.formError ?? errors.start ?? errors.end;
  const preview = answer?.preview;
  const fitting = preview?.rows.filter((r) => r.fits) ?? [];
  return (
    <section className="form-card booking-form">
      <p>
        <Link to={`/instruments/${instrument.slug}#booking`}>← {t("book.back")}</Link>
      </p>
      <h1>{t("book.title", { name })}</h1>
      {standing && (standing.qualification.state !== "none" || instrument.serviceModes.includes("self_operated")) ? (
        <QualificationStanding standing={standing} />
      ) : null}
      {slot ? (
        <>
          <p className="muted">{t("book.slot")}</p>
          <p className="booking-slot">
            {formatSpan(slot, instrument.zone, locale)} ({instrument.zone})
          </p>
          {pricing?.quote ? (
            <QuoteTable shown={pricing.quote} locale={locale} lead={t("fees:quote.lead", { class: t(`fees:class.${pricing.customerClass}`) })} />
          ) : pricing ? (
            <p className="notice notice-warning">{t("fees:quote.noRate", { class: t(`fees:class.${pricing.customerClass}`) })}</p>
          ) : null}
          {formError ? (
            <p className="form-error" role="alert">
              {t(formError, answer?.formParams)}
            </p>
          ) : null}
          <VerificationWayOut organizationId={answer?.unverified} />
          {answer?.blocked ? (
            <p>
              <Link to="/credit">{t("trust:credit.seeWhy")}</Link>
            </p>
          ) : null}
          {answer?.alternatives.length ? (
            <>
              <p>{t("book.alternatives")}</p>
              <ul className="booking-alternatives">
                {answer.alternatives.map((a) => (
                  <li key={a.start}>
                    <Link className="week-slot" to={link(a)}>
                      {formatSpan(a, instrument.zone, locale)}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {rebook ? <p className="notice rebook-notice">{t("rebook.prefilled", { reference: rebook.reference })}</p> : null}
          <Form method="post" replace id="booking-request">
            <CsrfInput />
            <input type="hidden" name="start" value={slot.start} />
            <input type="hidden" name="end" value={slot.end} />
            <Field label={t("book.purpose")} name="purpose" required maxLength={500} hint={t("book.purposeHint")} error={errors.purpose} defaultValue={rebook?.purpose} />
            <Field label={t("book.projectReference")} name="projectReference" maxLength={120} error={errors.projectReference} defaultValue={rebook?.projectReference} />
            {instrument.serviceModes.length > 0 ? (
              <div className={`field${errors.serviceMode ? " field-invalid" : ""}`}>
                <label htmlFor="field-serviceMode">{t("book.serviceMode")}</label>
                <select id="field-serviceMode" name="serviceMode" defaultValue={defaultServiceMode(instrument.serviceModes, rebook?.serviceMode) ?? undefined}>
                  {instrument.serviceModes.map((m) => (
                    <option key={m} value={m}>
                      {t(`common:serviceMode.${m}`)}
                    </option>
                  ))}
                </select>
                {errors.serviceMode ? (
                  <p className="field-error" role="alert">
                    {t(errors.serviceMode)}
                  </p>
                ) : null}
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="field-weeks">{t("training:series.weeks")}</label>
              <select id="field-weeks" name="weeks" defaultValue={String(preview?.weeks ?? 1)} aria-describedby="field-weeks-hint">
                {Array.from({ length: MAX_WEEKS }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n === 1 ? t("training:series.once") : t("training:series.weeksOption", { count: n })}
                  </option>
                ))}
              </select>
              <p className="field-hint" id="field-weeks-hint">
                {t("training:series.weeksHint")}
              </p>
            </div>
            <SubmitButton name="intent" value="request">
              {t("book.submit")}
            </SubmitButton>
          </Form>
          {preview ? (
            <section className="panel series-preview" aria-labelledby="series-preview-title">
              <h2 id="series-preview-title">{t("training:series.previewTitle")}</h2>
              <p>{t("training:series.previewLead", { total: preview.rows.length, fitting: fitting.length })}</p>
              <div className="table-wrap">
                <table className="manage-table">
                  <caption className="visually-hidden">{t("training:series.caption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("training:series.when")}</th>
                      <th scope="col">{t("training:series.result")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((r) => (
                      <tr key={r.start} className={r.fits ? "series-fits" : "series-conflict"}>
                        <td>{formatSpan(r, instrument.zone, locale)}</td>
                        <td>
                          {r.fits ? (
                            <span className="chip">{t(r.confirmed ? "training:series.fitsConfirmed" : "training:series.fits")}</span>
                          ) : (
                            <strong>{t(r.reason!, r.params)}</strong>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {fitting.length === 0 ? (
                <p className="empty">{t("training:series.noneFits")}</p>
              ) : (
                <Form method="post" replace>
                  <CsrfInput />
                  <input type="hidden" name="start" value={slot.start} />
                  <input type="hidden" name="end" value={slot.end} />
                  <input type="hidden" name="weeks" value={preview.weeks} />
                  {Object.entries(preview.fields).map(([field, value]) => (
                    <input key={field} type="hidden" name={field} value={value} />
                  ))}
                  {fitting.map((r) => (
                    <input key={r.start} type="hidden" name="occurrence" value={r.start} />
                  ))}
                  <SubmitButton name="intent" value="bookSeries">
                    {fitting.length === preview.rows.length
                      ? t("training:series.bookAll", { count: fitting.length })
                      : t("training:series.bookFitting", { count: fitting.length })}
                  </SubmitButton>
                </Form>
              )}
            </section>
          ) : null}
        </>
      ) : (
        <p className="notice notice-warning" role="alert">
          {t("book.badSlot")}
        </p>
      )}
    </section>
  );
}
