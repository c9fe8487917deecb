import { randomUUID } from "node:crypto";
import { toPlainText } from "@react-email/render";
import { desc, eq } from "drizzle-orm";
import { createInstance, type TFunction } from "i18next";
import { createTransport, type Transporter } from "nodemailer";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { z } from "zod";
import { outbox, type EmailAttachment } from "../../db/schema";
import { accountLink } from "../../emails/account-link";
import { accountNotice } from "../../emails/account-notice";
import AccreditationExpiry from "../../emails/accreditation-expiry";
import ApplicationDecision from "../../emails/application-decision";
import BookingMessage from "../../emails/booking-message";
import ComplaintUpdate from "../../emails/complaint-update";
import { invitation } from "../../emails/invitation";
import PaymentReminder from "../../emails/payment-reminder";
import SampleReportReady from "../../emails/sample-report-ready";
import VerificationDecision from "../../emails/verification-decision";
import { getDb, type Tx } from "./db.server";
import { env } from "./env.server";
import { isLocale, supportedLanguages, type Locale } from "./i18n";
import { rememberLookupOrder, serverI18nConfig } from "./i18n.server";
import { createQueues, enqueue } from "./jobs.server";
import { logger } from "./log.server";

const templates = {
  "verify-email": { component: accountLink("verifyEmail"), subject: "verifyEmail.subject" },
  "reset-password": { component: accountLink("resetPassword"), subject: "resetPassword.subject" },
  "change-email": { component: accountLink("changeEmail"), subject: "changeEmail.subject" },
  "email-changed": { component: accountNotice("emailChanged"), subject: "emailChanged.subject" },
  "password-changed": { component: accountNotice("passwordChanged"), subject: "passwordChanged.subject" },
  "application-decision": { component: ApplicationDecision, subject: "applicationDecision.subject" },
  "lab-invitation": { component: invitation("labInvitation"), subject: "labInvitation.subject" },
  "member-invitation": { component: invitation("memberInvitation"), subject: "memberInvitation.subject" },
  "sample-report-ready": { component: SampleReportReady, subject: "sampleReportReady.subject" },
  "booking-message": {
    component: BookingMessage,
    subject: (props: { kind: string }) => `${props.kind}.subject`,
    ns: "booking-mail",
  },
  "accreditation-expiry": { component: AccreditationExpiry, subject: "mail.subject", ns: "accreditation" },
  "payment-reminder": { component: PaymentReminder, subject: "mail.overdueSubject", ns: "finance" },
  "complaint-update": {
    component: ComplaintUpdate,
    subject: (props: { kind: string }) => `mail.${props.kind}.subject`,
    ns: "complaints",
  },
  "verification-decision": {
    component: VerificationDecision,
    subject: (props: { verified: boolean }) => (props.verified ? "mail.verified.subject" : "mail.rejected.subject"),
    ns: "verification",
  },
} as const;

export type EmailTemplate = keyof typeof templates;
export type TemplateProps<T extends EmailTemplate> = Omit<
  Parameters<(typeof templates)[T]["component"]>[0],
  "t" | "locale"
>;

const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

export type RenderedEmail = { subject: string; html: string; text: string };

const translators = new Map<string, Promise<TFunction>>();

/**
 * One i18next instance per language, separate from the request's, so jobs can render anywhere.
 * A template's own namespace is searched first, then `emails` (layout, greeting).
 */
export function translator(locale: Locale, ns = "emails"): Promise<TFunction> {
  const key = `${locale}:${ns}`;
  let t = translators.get(key);
  if (!t) {
    const instance = createInstance();
    t = instance.init({ ...serverI18nConfig, lng: locale }).then(() => rememberLookupOrder(instance).getFixedT(locale, ns === "emails" ? ns : [ns, "emails"]));
    translators.set(key, t);
  }
  return t;
}

export async function renderEmail<T extends EmailTemplate>(
  template: T,
  locale: Locale,
  props: TemplateProps<T>,
): Promise<RenderedEmail> {
  const entry = templates[template];
  const { component, subject } = entry;
  const t = await translator(locale, "ns" in entry ? entry.ns : "emails");
  const element = createElement(component as React.FC<any>, { ...props, t, locale });
  // React 18's renderer can leave NUL bytes next to CJK text at 2 KB buffer edges
  // (facebook/react#26228); Postgres refuses them and mail clients truncate at them.
  const html = DOCTYPE + renderToStaticMarkup(element).replace(/\0/g, "");
  const subjectKey = typeof subject === "function" ? subject(props as never) : subject;
  return { subject: t(subjectKey, props as Record<string, unknown>), html, text: toPlainText(html) };
}

export type OutgoingEmail = RenderedEmail & {
  id: string;
  to: string;
  template: string;
  locale: Locale;
  attachments?: EmailAttachment[];
};

let smtp: { url: string; transport: Transporter } | undefined;

function smtpTransport(url: string): Transporter {
  if (smtp?.url !== url) smtp = { url, transport: createTransport(url) };
  return smtp.transport;
}

/**
 * Records the message in `outbox` under its id and, with SMTP configured, sends it. A retried job
 * finds the row already there and does not send a message whose sent_at is set.
 */
export async function deliverEmail(message: OutgoingEmail): Promise<void> {
  const e = env();
  const db = await getDb();
  const transport = e.SMTP_URL ? "smtp" : "outbox";
  await db
    .insert(outbox)
    .values({
      id: message.id,
      toAddress: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      template: message.template,
      locale: message.locale,
      attachments: message.attachments ?? [],
      transport,
    })
    .onConflictDoNothing({ target: outbox.id });
  if (!e.SMTP_URL) return;
  const [row] = await db.select({ sentAt: outbox.sentAt }).from(outbox).where(eq(outbox.id, message.id));
  if (row?.sentAt) return;
  await smtpTransport(e.SMTP_URL).sendMail({
    from: e.MAIL_FROM,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    // A calendar invite keeps its `text/calendar; method=…` type, which is what mail clients look for.
    attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    // A stable Message-ID lets the receiving side drop a duplicate if a retry sends twice.
    messageId: `<${message.id}@openlab>`,
  });
  await db.update(outbox).set({ sentAt: new Date(), transport: "smtp" }).where(eq(outbox.id, message.id));
  logger.info({ messageId: message.id, template: message.template }, "email sent");
}

const jobSchema = z.object({
  messageId: z.string().uuid(),
  to: z.string().email(),
  locale: z.enum(supportedLanguages),
  template: z.enum(Object.keys(templates) as [EmailTemplate, ...EmailTemplate[]]),
  props: z.record(z.unknown()),
  attachments: z
    .array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
    .default([]),
});

export type SendEmailJob = z.input<typeof jobSchema>;

/** The `send-email` job: renders in the recipient's language and delivers once. */
export async function sendEmailJob(data: unknown): Promise<void> {
  const job = jobSchema.parse(data);
  const rendered = await renderEmail(job.template, job.locale, job.props as TemplateProps<typeof job.template>);
  await deliverEmail({
    ...rendered,
    id: job.messageId,
    to: job.to,
    template: job.template,
    locale: job.locale,
    attachments: job.attachments,
  });
}

/**
 * Makes sure the queue exists. Call it before opening the transaction that queues mail: pg-boss
 * drops jobs for unknown queues, and on PGlite its own statements would wait behind the open transaction.
 */
export const prepareEmailQueue = () => createQueues(["send-email"]);

/** Queues an email inside the caller's transaction, so it goes out only if the change commits. */
export async function queueEmail<T extends EmailTemplate>(
  tx: Tx,
  email: { to: string; locale: string; template: T; props: TemplateProps<T>; attachments?: EmailAttachment[]; messageId?: string },
): Promise<string> {
  // A caller that may queue the same email twice (a job run again) names it, so it is delivered once.
  const messageId = email.messageId ?? randomUUID();
  const job: SendEmailJob = {
    messageId,
    to: email.to,
    locale: isLocale(email.locale) ? email.locale : "zh-CN",
    template: email.template,
    props: email.props,
    attachments: email.attachments ?? [],
  };
  await enqueue(tx, "send-email", job);
  return messageId;
}

/** The dev mailbox and the sent-mail record, newest first. */
export async function listOutbox(limit = 100) {
  const db = await getDb();
  return db
    .select({
      id: outbox.id,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      template: outbox.template,
      transport: outbox.transport,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .orderBy(desc(outbox.createdAt))
    .limit(limit);
}

export async function getOutboxMessage(id: string) {
  if (!z.string().uuid().safeParse(id).success) return null;
  const db = await getDb();
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
  return row ?? null;
}
