import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BOOKING_REFUSALS, type BookingRefusal } from "~/accounts/permissions";

/** The refusal a 403 answer carries (see requireCustomer), or null for any other answer's data. */
export function refusalOf(data: unknown): BookingRefusal | null {
  const refusal = (data as { refusal?: unknown } | null)?.refusal;
  return BOOKING_REFUSALS.find((r) => r === refusal) ?? null;
}

/** Where on the account page the user does what the refusal asks. */
const accountPath = (refusal: BookingRefusal) => (refusal === "joinOrganization" ? "/account#company" : "/account#verify");

/** Why this account cannot book yet and where to fix it, beside the calendar. */
export function BookingRefusalNotice({ refusal }: { refusal: BookingRefusal }) {
  const { t } = useTranslation("common");
  return (
    <p className="notice notice-warning booking-refusal">
      {t(`bookingRefusal.${refusal}.body`)} <Link to={accountPath(refusal)}>{t(`bookingRefusal.${refusal}.action`)}</Link>
    </p>
  );
}

/** The same as a whole error page, for a booking or sample form opened directly. */
export function BookingRefusalPage({ refusal }: { refusal: BookingRefusal }) {
  const { t } = useTranslation("common");
  return (
    <section className="error-page">
      <p className="error-code">403</p>
      <h1>{t(`bookingRefusal.${refusal}.title`)}</h1>
      <p>{t(`bookingRefusal.${refusal}.body`)}</p>
      <Link className="button" to={accountPath(refusal)}>
        {t(`bookingRefusal.${refusal}.action`)}
      </Link>
    </section>
  );
}
