import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** A file sent with an email, e.g. a calendar invite; content is UTF-8 text. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** Every email the platform sends; without SMTP_URL this is where they stay, for an admin page. */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    template: text("template").notNull(),
    locale: text("locale").notNull(),
    attachments: jsonb("attachments").$type<EmailAttachment[]>().notNull().default([]),
    transport: text("transport").notNull().default("outbox"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("outbox_to_idx").on(t.toAddress), index("outbox_created_idx").on(t.createdAt)],
);
