import { Text } from "@react-email/components";
import { ActionLink, EmailLayout, textStyle, type EmailProps } from "./layout";

/** What happened to a booking, as the recipient is told it. */
export const bookingMessageKinds = [
  "requested",
  "approved",
  "rejected",
  "changed",
  "cancelled",
  /** Cancelled by the lab rather than by the customer. */
  "withdrawn",
  "expired",
  "reminder",
  "waitlist",
] as const;
export type BookingMessageKind = (typeof bookingMessageKinds)[number];

export type BookingMessageProps = {
  kind: BookingMessageKind;
  /** The customer hears about their booking; the lab about a booking on its instrument. */
  audience: "customer" | "lab";
  name: string;
  reference: string;
  instrument: string;
  /** The booked time, already written in the recipient's language and the lab's zone. */
  when: string;
  /** Who booked, for the lab's staff. */
  customer: string;
  reason: string;
  url: string;
  /** Whether a calendar invite travels with the message. */
  invite: boolean;
};

/**
 * Every booking message (request, decision, change, cancellation, expiry, reminder, waitlist
 * opening) shares one shape: what happened, the booking's facts, the reason if any, one link.
 */
export default function BookingMessage({ t, locale, kind, audience, name, reference, instrument, when, customer, reason, url, invite }: EmailProps<BookingMessageProps>) {
  const facts = { reference, instrument, when, customer };
  return (
    <EmailLayout t={t} locale={locale} preview={t(`${kind}.preview`, facts)}>
      <Text style={textStyle}>{t("greeting", { name })}</Text>
      <Text style={textStyle}>{t(`${kind}.body.${audience}`, facts)}</Text>
      <Text style={textStyle}>
        {t("facts.instrument")}
        {instrument}
        <br />
        {t("facts.when")}
        {when}
        {kind === "waitlist" ? null : (
          <>
            <br />
            {t("facts.reference")}
            {reference}
          </>
        )}
        {audience === "lab" ? (
          <>
            <br />
            {t("facts.customer")}
            {customer}
          </>
        ) : null}
      </Text>
      {reason ? (
        <Text style={textStyle}>
          {t("facts.reason")}
          {reason}
        </Text>
      ) : null}
      {invite ? <Text style={textStyle}>{t("invite")}</Text> : null}
      <ActionLink t={t} href={url} label={t(`${kind}.button.${audience}`)} />
    </EmailLayout>
  );
}
