import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { labs, organizations, users } from "./accounts";
import { charges } from "./billing";
import { bookings } from "./booking";

export const complaintSubjects = ["booking", "lab", "charge"] as const;
export type ComplaintSubject = (typeof complaintSubjects)[number];

/** open: waiting for the lab; responded: the lab has answered; resolved: a platform admin decided. */
export const complaintStatuses = ["open", "responded", "resolved"] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

export const complaintResolutions = ["upheld", "not_upheld", "settled"] as const;
export type ComplaintResolution = (typeof complaintResolutions)[number];

export const complaintSides = ["customer", "lab"] as const;
export type ComplaintSide = (typeof complaintSides)[number];

const inList = (column: string, values: readonly string[]) => sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);

/**
 * A customer organisation's complaint (投诉) about one of its bookings, one of its charges or a
 * lab. The lab answers in the complaint's thread; a platform admin resolves it with a reason.
 */
export const complaints = pgTable(
  "complaints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The complaining customer organisation; its members read the complaint. */
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id),
    filedBy: uuid("filed_by")
      .notNull()
      .references(() => users.id),
    /** The lab complained about: the subject's own lab, for a booking or a charge. */
    labId: uuid("lab_id")
      .notNull()
      .references(() => labs.id),
    subjectKind: text("subject_kind").$type<ComplaintSubject>().notNull(),
    bookingId: uuid("booking_id").references(() => bookings.id),
    chargeId: uuid("charge_id").references(() => charges.id),
    body: text("body").notNull(),
    status: text("status").$type<ComplaintStatus>().notNull().default("open"),
    filedAt: timestamp("filed_at", { withTimezone: true }).notNull().defaultNow(),
    /** The lab's first message: what the response-time figures measure. */
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    resolution: text("resolution").$type<ComplaintResolution>(),
    resolutionReason: text("resolution_reason"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedBy: uuid("resolved_by").references(() => users.id),
  },
  (t) => [
    check("complaints_subject_check", inList("subject_kind", complaintSubjects)),
    check("complaints_status_check", inList("status", complaintStatuses)),
    check("complaints_resolution_check", sql`resolution is null or ${inList("resolution", complaintResolutions)}`),
    check(
      "complaints_subject_ids_check",
      sql`(subject_kind = 'booking') = (booking_id is not null and charge_id is null) and (subject_kind = 'charge') = (charge_id is not null) and (subject_kind <> 'lab' or (booking_id is null and charge_id is null))`,
    ),
    check(
      "complaints_resolved_check",
      sql`(status = 'resolved') = (resolved_at is not null) and (resolved_at is null) = (resolution is null) and (resolved_at is null) = (resolution_reason is null) and (resolved_at is null) = (resolved_by is null)`,
    ),
    check("complaints_body_length_check", sql`char_length(body) between 1 and 4000`),
    index("complaints_organization_idx").on(t.organizationId, t.filedAt),
    index("complaints_lab_idx").on(t.labId, t.filedAt),
    index("complaints_status_idx").on(t.status, t.filedAt),
  ],
);

/** The thread under a complaint: the customer's and the lab's messages, oldest first. */
export const complaintMessages = pgTable(
  "complaint_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    complaintId: uuid("complaint_id")
      .notNull()
      .references(() => complaints.id),
    authorUserId: uuid("author_user_id")
      .notNull()
      .references(() => users.id),
    side: text("side").$type<ComplaintSide>().notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("complaint_messages_side_check", inList("side", complaintSides)),
    check("complaint_messages_body_length_check", sql`char_length(body) between 1 and 4000`),
    index("complaint_messages_complaint_idx").on(t.complaintId, t.createdAt),
  ],
);

/** Evidence filed with a complaint: PDF, PNG or JPEG, judged by their bytes. */
export const complaintAttachments = pgTable(
  "complaint_attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    complaintId: uuid("complaint_id")
      .notNull()
      .references(() => complaints.id),
    fileKey: text("file_key").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
  },
  (t) => [check("complaint_attachments_size_check", sql`size_bytes > 0`), index("complaint_attachments_complaint_idx").on(t.complaintId)],
);
