import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { flashNotice } from "~/accounts/auth.server";
import { notFound, requireLabStaff } from "~/accounts/authz.server";
import { formatSpan } from "~/booking/time-format";
import { checkOut } from "~/booking/transitions.server";
import { lateStartMinutes, proposedEnd, usageFormSchema, wallClock } from "~/booking/usage";
import { checkOutPage } from "~/booking/usage.server";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { formOf } from "~/lib/form.server";
import { localName } from "~/lib/format";
import { i18nServer } from "~/lib/i18n.server";
import { clientIp } from "~/lib/rate-limit.server";
import { parseForm } from "~/lib/validation";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "manage", "booking", "queue", "usage"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.booking.reference} · OpenLab` : "OpenLab" }];

async function authorize(request: Request, params: { labId?: string; bookingId?: string }) {
  const labId = params.labId ?? "";
  const viewer = await requireLabStaff(request, labId);
  const page = /^[0-9a-f-]{36}$/i.test(params.bookingId ?? "") ? await checkOutPage(params.bookingId!, labId) : null;
  if (!page) throw notFound();
  return { viewer, labId, page };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { page } = await authorize(request, params);
  const { booking, checkedInAt } = page;
  const zone = booking.lab.timeZone;
  const now = new Date();
  return {
    ...page,
    booking: { ...booking, period: { start: booking.period!.start.toISOString(), end: booking.period!.end.toISOString() } },
    checkedInAt: checkedInAt?.toISOString() ?? null,
    lateMinutes: checkedInAt ? lateStartMinutes(booking.period!.start, checkedInAt) : 0,
    // Prefilled from the check-in and the check-out; lab staff correct them if needed.
    defaults: { startedAt: wallClock(checkedInAt ?? booking.period!.start, zone), endedAt: proposedEnd(booking.period!.end, now, zone) },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer, page } = await authorize(request, params);
  const form = await formOf(request);
  const parsed = parseForm(usageFormSchema(page.booking.lab.timeZone), form);
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  if (!page.operators.some((o) => o.id === parsed.data.operatorUserId)) return data({ errors: { operatorUserId: "validation.choice" } }, { status: 400 });
  const result = await checkOut({ bookingId: page.booking.id, actorUserId: viewer.id, usage: parsed.data, ip: clientIp(request, context) }, new Date());
  if (!result.ok) return data({ errors: { _form: `booking:errors.${result.reason}` } as Record<string, string> }, { status: 409 });
  const t = await i18nServer.getFixedT(request, "queue");
  return redirect(`/manage/labs/${page.booking.lab.id}/bookings`, {
    headers: { "Set-Cookie": await flashNotice(request, t(result.changed ? "done.checkOut" : "done.unchanged", { reference: page.booking.reference })) },
  });
}

export default function CheckOut() {
  const { booking, operators, defaults, checkedInAt, lateMinutes, record } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("usage");
  const locale = useLocale();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const zone = booking.lab.timeZone;
  const number = (name: string, label: string, defaultValue = "0") => (
    <Field label={label} name={name} type="number" min={0} step={1} inputMode="numeric" required defaultValue={defaultValue} error={errors[name]} />
  );
  return (
    <section className="section manage usage-page">
      <nav className="breadcrumbs" aria-label={t("manage:breadcrumbs")}>
        <Link to="/manage">{t("manage:dashboard.title")}</Link> / <Link to={`/manage/labs/${booking.lab.id}`}>{localName(booking.lab, locale)}</Link> /{" "}
        <Link to={`/manage/labs/${booking.lab.id}/bookings`}>{t("queue:title")}</Link> / {booking.reference}
      </nav>
      <h1>{t("heading", { reference: booking.reference })}</h1>
      <p className="lead-muted">
        {localName(booking.instrument, locale)} · {booking.userName} · {formatSpan(booking.period, zone, locale)} ({zone})
      </p>
      {checkedInAt ? <p>{lateMinutes > 0 ? t("late", { minutes: lateMinutes }) : t("onTime")}</p> : null}
      {booking.status !== "in_use" ? (
        <p className="notice notice-warning" role="status">
          {record ? t("alreadyRecorded") : t("notInUse", { status: t(`booking:status.${booking.status}`) })}
        </p>
      ) : (
        <Form method="post" className="panel">
          <CsrfInput />
          <FormError error={errors._form} />
          <p className="field-hint">{t("lead")}</p>
          <div className="field-row">
            <Field label={t("startedAt")} name="startedAt" type="datetime-local" required defaultValue={defaults.startedAt} error={errors.startedAt} />
            <Field label={t("endedAt")} name="endedAt" type="datetime-local" required defaultValue={defaults.endedAt} error={errors.endedAt} />
          </div>
          <div className="field-row">
            {number("preparationMinutes", t("preparationMinutes"))}
            {number("measurementMinutes", t("measurementMinutes"))}
            {number("postProcessingMinutes", t("postProcessingMinutes"))}
            {number("idleMinutes", t("idleMinutes"))}
          </div>
          <p className="field-hint">{t("phasesHint")}</p>
          {number("samplesCount", t("samplesCount"), "1")}
          <div className={`field${errors.operatorUserId ? " field-invalid" : ""}`}>
            <label htmlFor="field-operatorUserId">{t("operator")}</label>
            <select id="field-operatorUserId" name="operatorUserId" defaultValue={booking.serviceMode === "self_operated" ? booking.userId : (operators.find((o) => !o.customer)?.id ?? booking.userId)}>
              {operators.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.customer ? t("operatorCustomer", { name: o.displayName }) : o.displayName}
                </option>
              ))}
            </select>
            {errors.operatorUserId ? (
              <p className="field-error" role="alert">
                {t(errors.operatorUserId)}
              </p>
            ) : null}
          </div>
          <Field label={t("note")} name="note" maxLength={1000} error={errors.note} />
          <SubmitButton>{t("submit")}</SubmitButton>
        </Form>
      )}
    </section>
  );
}
