import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireBookingCheckIn } from "~/accounts/authz.server";
import { bookingDetail } from "~/booking/reservations.server";
import { formatSpan } from "~/booking/time-format";
import { checkIn } from "~/booking/transitions.server";
import { lateStartMinutes, SELF_CHECK_IN_AFTER_MINUTES, SELF_CHECK_IN_BEFORE_MINUTES, withinSelfCheckIn } from "~/booking/usage";
import { CsrfInput, FormError, SubmitButton } from "~/components/forms";
import { localName } from "~/lib/format";
import { clientIp } from "~/lib/rate-limit.server";
import { useLocale } from "~/root";

export const handle = { i18n: ["common", "reserve", "booking", "usage"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.booking.reference} · OpenLab` : "OpenLab" }, { name: "robots", content: "noindex" }];

async function load(request: Request, id: string) {
  const { viewer, as } = await requireBookingCheckIn(request, id);
  const booking = await bookingDetail(id);
  // Only slots are checked in; sample jobs have no time at the instrument to start.
  if (!booking || booking.kind !== "slot" || !booking.period) throw notFound();
  return { viewer, as, booking: { ...booking, period: booking.period } };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { as, booking } = await load(request, params.id ?? "");
  const now = new Date();
  return { as, booking, inWindow: as === "staff" || withinSelfCheckIn(new Date(booking.period.start), now) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { viewer, as, booking } = await load(request, params.id ?? "");
  const now = new Date();
  // Lab staff check in at any time; the customer only around the booked start, at the instrument.
  if (as === "customer" && !withinSelfCheckIn(new Date(booking.period.start), now))
    return data({ error: "usage:checkIn.outsideWindow", late: 0 }, { status: 409 });
  const result = await checkIn({ bookingId: booking.id, actorUserId: viewer.id, ip: clientIp(request, context) }, now);
  if (!result.ok) return data({ error: `booking:errors.${result.reason}`, late: 0 }, { status: 409 });
  return { error: undefined, late: lateStartMinutes(new Date(booking.period.start), now) };
}

export default function CheckInPage() {
  const { booking, as, inWindow } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("usage");
  const locale = useLocale();
  const done = answer && !answer.error;
  return (
    <section className="form-card check-in-page">
      <h1>{t("checkIn.heading", { reference: booking.reference })}</h1>
      <dl className="facts">
        <div>
          <dt>{t("reserve:list.instrument")}</dt>
          <dd>{localName(booking.instrument, locale)}</dd>
        </div>
        <div>
          <dt>{t("reserve:list.time")}</dt>
          <dd>
            {formatSpan(booking.period, booking.zone, locale)} ({booking.zone})
          </dd>
        </div>
        <div>
          <dt>{t("reserve:list.status")}</dt>
          <dd>{t(`booking:status.${done ? "in_use" : booking.status}`)}</dd>
        </div>
      </dl>
      {done ? (
        <p className="notice" role="status">
          {answer.late > 0 ? t("checkIn.doneLate", { minutes: answer.late }) : t("checkIn.done")}
        </p>
      ) : booking.status === "in_use" ? (
        <p className="notice" role="status">
          {t("checkIn.already")}
        </p>
      ) : booking.status !== "confirmed" ? (
        <p className="notice notice-warning" role="status">
          {t("checkIn.notConfirmed")}
        </p>
      ) : !inWindow ? (
        <p className="notice notice-warning" role="status">
          {t("checkIn.window", { before: SELF_CHECK_IN_BEFORE_MINUTES, after: SELF_CHECK_IN_AFTER_MINUTES })}
        </p>
      ) : (
        <Form method="post">
          <CsrfInput />
          <FormError error={answer?.error} />
          <p>{as === "staff" ? t("checkIn.staffLead") : t("checkIn.customerLead")}</p>
          <SubmitButton>{t("checkIn.submit")}</SubmitButton>
        </Form>
      )}
      {as === "customer" ? (
        <p>
          <Link to={`/bookings/${booking.id}`}>{t("checkIn.back")}</Link>
        </p>
      ) : null}
    </section>
  );
}
