// Complaints (投诉): the forms, the attachments' rules, and the figures of the admin inbox (days
// open, response times). Pure: rows and the clock in, verdicts and figures out.
import { z } from "zod";
import {
  complaintResolutions,
  complaintSides,
  complaintStatuses,
  complaintSubjects,
  type ComplaintResolution,
  type ComplaintSide,
  type ComplaintStatus,
  type ComplaintSubject,
} from "../../db/schema/complaints";
import { documentType, type DocumentType } from "~/lib/pdf";
import { userText } from "./review-forms";

export { complaintResolutions, complaintSides, complaintStatuses, complaintSubjects, type ComplaintResolution, type ComplaintSide, type ComplaintStatus, type ComplaintSubject };

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;
export const COMPLAINT_TEXT_MAX = 4000;

const uuid = z.string().uuid("validation.invalid");
const text = userText(COMPLAINT_TEXT_MAX).pipe(z.string().min(1, "validation.required"));

/** The filing form: what it is about (the subject's id rides along hidden) and what happened. */
export const complaintFormSchema = z.object({
  subjectKind: z.enum(complaintSubjects, { message: "validation.choice" }),
  subjectId: uuid,
  body: text,
});
export type ComplaintForm = z.infer<typeof complaintFormSchema>;

export const complaintMessageSchema = z.object({ body: text });

export const resolutionSchema = z.object({
  resolution: z.enum(complaintResolutions, { message: "validation.choice" }),
  reason: userText(2000).pipe(z.string().min(1, "complaints:validation.reasonRequired")),
});
export type ResolutionForm = z.infer<typeof resolutionSchema>;

export type AttachmentProblem = "too_many" | "too_big" | "wrong_type";

export const attachmentMessages: Record<AttachmentProblem, string> = {
  too_many: "complaints:validation.tooManyAttachments",
  too_big: "complaints:validation.attachmentTooBig",
  wrong_type: "complaints:validation.attachmentType",
};

/**
 * One attachment judged by its size and first bytes: a PDF, PNG or JPEG of at most 10 MB.
 * The browser's declared type and the file name count for nothing.
 */
export function attachmentProblem(size: number, head: Uint8Array): AttachmentProblem | null {
  if (size > ATTACHMENT_MAX_BYTES) return "too_big";
  return documentType(head) ? null : "wrong_type";
}

export const attachmentExtension: Record<DocumentType, string> = { "application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg" };

/** Who may post in the thread now: nobody once the complaint is resolved. */
export const threadOpen = (status: ComplaintStatus) => status !== "resolved";

/** Whole days between filing and `until` (now for an open complaint, the resolution for a closed one). */
export function daysOpen(filedAt: Date, until: Date): number {
  return Math.max(0, Math.floor((until.getTime() - filedAt.getTime()) / 86_400_000));
}

/** The median of some numbers, null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface LabResponseFigures {
  labId: string;
  filed: number;
  unresolved: number;
  /** Filed but not yet answered by the lab. */
  unanswered: number;
  upheld: number;
  /** Median hours from filing to the lab's first response, over answered complaints. */
  medianResponseHours: number | null;
}

/** Per lab: how many complaints, how many still open or unanswered, and how fast the lab answers. */
export function responseFigures(rows: readonly { labId: string; filedAt: Date; firstResponseAt: Date | null; status: ComplaintStatus; resolution: ComplaintResolution | null }[]): LabResponseFigures[] {
  const byLab = new Map<string, { filed: number; unresolved: number; unanswered: number; upheld: number; hours: number[] }>();
  for (const r of rows) {
    const lab = byLab.get(r.labId) ?? byLab.set(r.labId, { filed: 0, unresolved: 0, unanswered: 0, upheld: 0, hours: [] }).get(r.labId)!;
    lab.filed++;
    if (r.status !== "resolved") lab.unresolved++;
    if (r.firstResponseAt) lab.hours.push((r.firstResponseAt.getTime() - r.filedAt.getTime()) / 3_600_000);
    else lab.unanswered++;
    if (r.resolution === "upheld") lab.upheld++;
  }
  return [...byLab].map(([labId, l]) => ({ labId, filed: l.filed, unresolved: l.unresolved, unanswered: l.unanswered, upheld: l.upheld, medianResponseHours: median(l.hours) }));
}

/** The admin inbox's filters, read from the query string; anything unknown is ignored. */
export const inboxFilterSchema = z.object({
  status: z.enum([...complaintStatuses, "unresolved"]).optional().catch(undefined),
  labId: uuid.optional().catch(undefined),
  subjectKind: z.enum(complaintSubjects).optional().catch(undefined),
  order: z.enum(["newest", "oldest"]).optional().catch(undefined),
});
export type InboxFilter = z.infer<typeof inboxFilterSchema>;
