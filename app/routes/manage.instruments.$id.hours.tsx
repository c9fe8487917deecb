import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { approvalModes, closureKinds } from "../../db/schema/booking-vocabulary";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireInstrumentStaff } from "~/accounts/authz.server";
import { addClosure, deleteClosure, hoursPage, saveBookingSettings, saveWeeklyRules } from "~/availability/hours.server";
import { bookingSettingsSchema, closureSchema, clockOf, parseWeeklyRules, slotChoices } from "~/booking/settings";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { formatDateTime, formatPeriod, localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "manage", "booking"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "OpenLab" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { id } = await requireInstrumentStaff(request, params.id);
  const [page, t] = await Promise.all([hoursPage(id, new Date()), i18nServer.getFixedT(request, "booking")]);
  if (!page) throw notFound();
  return { ...page, title: `${page.instrument.nameZh} · ${t("hours.title")} · OpenLab` };
}

const intentSchema = z.object({ intent: z.enum(["rules", "settings", "addClosure", "deleteClosure"]) });
const closureIdSchema = z.object({ closureId: z.string().uuid() });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { id, viewer } = await requireInstrumentStaff(request, params.id);
  const actor = { userId: viewer.id, ip: clientIp(request, context) };
  const form = await formOf(request);
  const intent = intentSchema.safeParse({ intent: form.get("intent") });
  if (!intent.success) return data({ intent: "", errors: { _form: "validation.invalid" } as Record<string, string> }, { status: 400 });
  const t = await i18nServer.getFixedT(request, "booking");
  const done = async (notice: string) =>
    redirect(`/manage/instruments/${id}/hours`, { headers: { "Set-Cookie": await flashNotice(request, t(notice)) } });
  const fail = (errors: Record<string, string>) => data({ intent: intent.data.intent, errors }, { status: 400 });
  switch (intent.data.intent) {
    case "rules": {
      const parsed = parseWeeklyRules(form);
      if (!parsed.ok) return fail(parsed.errors);
      await saveWeeklyRules(id, parsed.data, actor);
      return done("hours.saved");
    }
    case "settings": {
      const parsed = parseForm(bookingSettingsSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      await saveBookingSettings(id, parsed.data, new Date(), actor);
      return done("settings.saved");
    }
    case "addClosure": {
      const parsed = parseForm(closureSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      const added = await addClosure(id, parsed.data, actor);
      if (!added) return fail({ endTime: "booking:validation.endAfterStart" });
      return added.bookingsUnder > 0
        ? redirect(`/manage/instruments/${id}/hours#closures`, { headers: { "Set-Cookie": await flashNotice(request, t("closures.addedOverBookings", { count: added.bookingsUnder })) } })
        : done("closures.added");
    }
    case "deleteClosure": {
      const parsed = closureIdSchema.safeParse({ closureId: form.get("closureId") });
      if (!parsed.success || !(await deleteClosure(id, parsed.data.closureId, actor))) throw notFound();
      return done("closures.deleted");
    }
  }
}

type Errors = Record<string, string | undefined>;

export default function InstrumentHours() {
  const { instrument, lab, rules, closures, settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("booking");
  const locale = useLocale();
  const name = localName(instrument, locale);
  const errorsFor = (intent: string): Errors => (result?.intent === intent ? result.errors : {});
  return (
    <section className="section manage hours-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${lab.id}`}>{localName(lab, locale)}</Link> /{" "}
        <Link to={`/manage/instruments/${instrument.id}`}>{name}</Link> / {t("hours.title")}
      </nav>
      <h1>{t("hours.heading", { name })}</h1>
      <p className="lead-muted">{t("hours.lead", { zone: lab.timeZone })}</p>
      {instrument.status !== "published" ? <p className="notice">{t("hours.notPublished")}</p> : null}
      <FormError error={result?.intent === "" ? result.errors._form : undefined} />
      <WeeklyRules rules={rules} errors={errorsFor("rules")} />
      <Settings settings={settings} errors={errorsFor("settings")} />
      <Closures closures={closures} labId={lab.id} zone={lab.timeZone} errors={errorsFor("addClosure")} locale={locale} />
    </section>
  );
}

function WeeklyRules({ rules, errors }: { rules: { weekday: number; startMinute: number; endMinute: number }[]; errors: Errors }) {
  const { t } = useTranslation("booking");
  return (
    <Form method="post" className="panel hours-panel" key={JSON.stringify(rules)}>
      <CsrfInput />
      <h2>{t("hours.weekly")}</h2>
      <p className="field-hint">{t("hours.weeklyHint")}</p>
      <table className="hours-table">
        <tbody>
          {[1, 2, 3, 4, 5, 6, 7].map((weekday) => {
            const day = rules.filter((r) => r.weekday === weekday);
            // One empty pair more than saved, so another interval can be added.
            const pairs = [...day.map((r) => [clockOf(r.startMinute), r.endMinute === 1440 ? "00:00" : clockOf(r.endMinute)]), ["", ""]];
            const error = errors[`day-${weekday}`];
            const label = t(`weekdays.${weekday}`);
            return (
              <tr key={weekday} className={error ? "field-invalid" : undefined}>
                <th scope="row">{label}</th>
                <td>
                  <div className="hours-intervals">
                    {pairs.map(([start, end], i) => (
                      <span className="hours-interval" key={i}>
                        <input type="time" step={300} name={`start-${weekday}`} defaultValue={start} aria-label={t("hours.startLabel", { day: label, n: i + 1 })} />
                        <span aria-hidden="true">–</span>
                        <input type="time" step={300} name={`end-${weekday}`} defaultValue={end} aria-label={t("hours.endLabel", { day: label, n: i + 1 })} />
                      </span>
                    ))}
                    {day.length === 0 ? <span className="chip">{t("hours.closed")}</span> : null}
                  </div>
                  {error ? (
                    <p className="field-error" role="alert">
                      {t(error)}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <SubmitButton name="intent" value="rules">
        {t("hours.save")}
      </SubmitButton>
    </Form>
  );
}

type SettingsValues = ReturnType<typeof useLoaderData<typeof loader>>["settings"];

function Settings({ settings, errors }: { settings: SettingsValues; errors: Errors }) {
  const { t } = useTranslation("booking");
  const number = (name: keyof SettingsValues, min: number, max?: number) => (
    <Field
      label={t(`settings.${name}`)}
      hint={t(`settings.${name}Hint`)}
      name={name}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      required
      defaultValue={String(settings[name])}
      error={errors[name]}
    />
  );
  return (
    <Form method="post" className="panel hours-panel" key={JSON.stringify(settings)}>
      <CsrfInput />
      <h2>{t("settings.title")}</h2>
      <div className="hours-grid">
        <div className={`field${errors.slotMinutes ? " field-invalid" : ""}`}>
          <label htmlFor="field-slotMinutes">{t("settings.slotMinutes")}</label>
          <select id="field-slotMinutes" name="slotMinutes" defaultValue={String(settings.slotMinutes)}>
            {slotChoices.map((n) => (
              <option key={n} value={n}>
                {t("settings.minutes", { count: n })}
              </option>
            ))}
          </select>
          {errors.slotMinutes ? <p className="field-error" role="alert">{t(errors.slotMinutes)}</p> : null}
        </div>
        {number("minNoticeMinutes", 0)}
        {number("maxAdvanceDays", 1, 730)}
        {number("minLengthMinutes", 5)}
        {number("maxLengthMinutes", 5)}
        {number("bufferMinutes", 0, 1440)}
        {number("requestExpiryHours", 1, 720)}
        <Field
          label={t("settings.weeklyQuotaHours")}
          hint={t("settings.weeklyQuotaHoursHint")}
          name="weeklyQuotaHours"
          type="number"
          min={0.5}
          step={0.5}
          defaultValue={settings.weeklyQuotaMinutes === null ? "" : String(settings.weeklyQuotaMinutes / 60)}
          error={errors.weeklyQuotaHours}
        />
      </div>
      <fieldset className="choice-group">
        <legend>{t("settings.approvalMode")}</legend>
        {approvalModes.map((mode) => (
          <label key={mode} className="choice">
            <input type="radio" name="approvalMode" value={mode} defaultChecked={settings.approvalMode === mode} /> {t(`approvalModes.${mode}`)}
          </label>
        ))}
      </fieldset>
      <label className="choice">
        <input type="checkbox" name="observeChineseHolidays" defaultChecked={settings.observeChineseHolidays} /> {t("settings.observeChineseHolidays")}
      </label>
      <p className="field-hint">{t("settings.observeChineseHolidaysHint")}</p>
      <SubmitButton name="intent" value="settings">
        {t("settings.save")}
      </SubmitButton>
    </Form>
  );
}

type ClosureRows = ReturnType<typeof useLoaderData<typeof loader>>["closures"];

function Closures({ closures, labId, zone, errors, locale }: { closures: ClosureRows; labId: string; zone: string; errors: Errors; locale: ReturnType<typeof useLocale> }) {
  const { t } = useTranslation("booking");
  return (
    <div className="panel hours-panel" id="closures">
      <h2>{t("closures.title")}</h2>
      {closures.length === 0 ? (
        <p className="empty">{t("closures.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("closures.period")}</th>
                <th scope="col">{t("closures.kind")}</th>
                <th scope="col">{t("closures.reason")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("closures.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {closures.map((c) => (
                <tr key={c.id}>
                  <td>
                    {formatPeriod(c.period, locale, zone)}
                  </td>
                  <td>{t(`closureKinds.${c.kind}`)}</td>
                  <td>
                    {c.reason}
                    {c.bookings.length > 0 ? (
                      <div className="notice notice-warning closure-bookings">
                        {t("closures.bookingsUnder", { count: c.bookings.length })}
                        <ul>
                          {c.bookings.map((b) => (
                            <li key={b.id}>
                              <Link to={`/manage/labs/${labId}/bookings${b.status === "requested" ? "#pending" : `?day=${b.day}#today`}`}>{b.reference}</Link>{" "}
                              {formatDateTime(b.start, locale, zone)} · {t(`status.${b.status}`)}
                            </li>
                          ))}
                        </ul>
                      </div>
                    ) : null}
                  </td>
                  <td className="nowrap">
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="closureId" value={c.id} />
                      <button type="submit" name="intent" value="deleteClosure" className="button button-secondary button-compact">
                        {t("closures.delete")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* Keyed by the closures listed, so an added closure clears the form. */}
      <Form method="post" className="closure-form" key={closures.length}>
        <CsrfInput />
        <h3>{t("closures.add")}</h3>
        <div className="hours-grid">
          <Field label={t("closures.startDate")} name="startDate" type="date" required error={errors.startDate} />
          <Field label={t("closures.startTime")} name="startTime" type="time" step={300} required defaultValue="08:00" error={errors.startTime} />
          <Field label={t("closures.endDate")} name="endDate" type="date" required error={errors.endDate} />
          <Field label={t("closures.endTime")} name="endTime" type="time" step={300} required defaultValue="18:00" error={errors.endTime} />
          <div className={`field${errors.kind ? " field-invalid" : ""}`}>
            <label htmlFor="field-kind">{t("closures.kind")}</label>
            <select id="field-kind" name="kind" defaultValue="maintenance">
              {closureKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`closureKinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <Field label={t("closures.reason")} name="reason" required maxLength={300} error={errors.reason} />
        </div>
        <SubmitButton name="intent" value="addClosure">
          {t("closures.addButton")}
        </SubmitButton>
      </Form>
    </div>
  );
}
