import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireCustomer } from "~/accounts/authz.server";
import { requestSlot } from "~/booking/bookings.server";
import { bookingFormSchema, bookingTarget, customerOrganizationOf, slotQuerySchema } from "~/booking/reservations.server";
import { formatSpan } from "~/booking/time-format";
import { CsrfInput, Field, FormError, SubmitButton } from "~/components/forms";
import { localName } from "~/lib/format";
import { parseForm } from "~/lib/validation";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reserve", "booking"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.instrument ? `${data.instrument.nameZh} — 预约 | OpenLab` : "OpenLab" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCustomer(request);
  const instrument = await bookingTarget(params.slug ?? "");
  if (!instrument) throw notFound();
  const url = new URL(request.url);
  const slot = slotQuerySchema.safeParse({ start: url.searchParams.get("start"), end: url.searchParams.get("end") });
  if (!slot.success) return data({ instrument, slot: null }, { status: 400 });
  return { instrument, slot: { start: slot.data.start.toISOString(), end: slot.data.end.toISOString() } };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireCustomer(request);
  const instrument = await bookingTarget(params.slug ?? "");
  if (!instrument) throw notFound();
  const parsed = parseForm(bookingFormSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors, formError: undefined, alternatives: [] }, { status: 400 });
  const { start, end, purpose, projectReference, serviceMode } = parsed.data;
  if (serviceMode && !instrument.serviceModes.includes(serviceMode))
    return data({ errors: { serviceMode: "validation.choice" }, formError: undefined, alternatives: [] }, { status: 400 });
  const result = await requestSlot(
    {
      instrumentId: instrument.id,
      userId: viewer.id,
      // requireCustomer guarantees a customer or org_admin membership.
      organizationId: customerOrganizationOf(viewer)!,
      start: new Date(start),
      end: new Date(end),
      purpose,
      projectReference,
      serviceMode: serviceMode ?? null,
      ip: clientIp(request, context),
    },
    new Date(),
  );
  if (result.ok) throw redirect(`/bookings/${result.booking.id}`);
  const formError = `booking:errors.${result.reason}`;
  if (result.reason === "slot_taken") {
    const alternatives = result.alternatives.map((a) => ({ start: a.start.toISOString(), end: a.end.toISOString() }));
    return data({ errors: {} as Record<string, string>, formError, alternatives }, { status: 409 });
  }
  return data({ errors: {} as Record<string, string>, formError, alternatives: [] }, { status: 400 });
}

export default function BookSlot() {
  const { instrument, slot } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("reserve");
  const locale = useLocale();
  const name = localName(instrument, locale);
  const errors: Record<string, string> = answer?.errors ?? {};
  const link = (s: { start: string; end: string }) =>
    `/instruments/${instrument.slug}/book?start=${encodeURIComponent(s.start)}&end=${encodeURIComponent(s.end)}`;
  return (
    <section className="form-card booking-form">
      <p>
        <Link to={`/instruments/${instrument.slug}#booking`}>← {t("book.back")}</Link>
      </p>
      <h1>{t("book.title", { name })}</h1>
      {slot ? (
        <>
          <p className="muted">{t("book.slot")}</p>
          <p className="booking-slot">
            {formatSpan(slot, instrument.zone, locale)} ({instrument.zone})
          </p>
          <FormError error={answer?.formError ?? errors.start ?? errors.end} />
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
          <Form method="post" replace>
            <CsrfInput />
            <input type="hidden" name="start" value={slot.start} />
            <input type="hidden" name="end" value={slot.end} />
            <Field label={t("book.purpose")} name="purpose" required maxLength={500} hint={t("book.purposeHint")} error={errors.purpose} />
            <Field label={t("book.projectReference")} name="projectReference" maxLength={120} error={errors.projectReference} />
            {instrument.serviceModes.length > 0 ? (
              <div className={`field${errors.serviceMode ? " field-invalid" : ""}`}>
                <label htmlFor="field-serviceMode">{t("book.serviceMode")}</label>
                <select id="field-serviceMode" name="serviceMode" defaultValue={instrument.serviceModes[0]}>
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
            <SubmitButton>{t("book.submit")}</SubmitButton>
          </Form>
        </>
      ) : (
        <p className="notice notice-warning" role="alert">
          {t("book.badSlot")}
        </p>
      )}
    </section>
  );
}
