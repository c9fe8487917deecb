// Pure helpers of the audit log: what changed between two versions of a record, and how one entry
// reads as a CSV line.
import { z } from "zod";
import { isCalendarDate } from "~/lib/validation";
import { csvLine } from "~/catalogue/csv";

/** Who made a change and from where; commands that write the audit log take it as an argument. */
export interface Actor {
  userId: string;
  /** The client's address (loadContext.clientIp); null when unknown. */
  ip: string | null;
}

type Fields = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

/** Dates compare and serialise as ISO text, whichever side held a Date; a missing field is null. */
function normalise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

/**
 * The fields of `after` whose value differs from `before`, as two small objects: the audit log
 * keeps what changed, not the whole record, so a reader sees a rate or a name change at a glance.
 */
export function changedFields(before: Fields, after: Fields): { before: Fields; after: Fields } | null {
  const was: Fields = {};
  const now: Fields = {};
  for (const key of Object.keys(after)) {
    if (same(before[key], after[key])) continue;
    was[key] = normalise(before[key]);
    now[key] = normalise(after[key]);
  }
  return Object.keys(now).length ? { before: was, after: now } : null;
}

export interface AuditRow {
  at: Date | string;
  actorEmail: string | null;
  actorName: string | null;
  organizationNameZh: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export const auditCsvHeader = ["时间 at", "操作人 actor", "机构 organization", "操作 action", "对象 entity", "对象编号 entity id", "之前 before", "之后 after", "IP"];

export function auditCsvLine(row: AuditRow): string {
  const json = (v: unknown) => (v === null || v === undefined ? "" : JSON.stringify(v));
  return csvLine([
    new Date(row.at).toISOString(),
    row.actorEmail ?? "",
    row.organizationNameZh ?? "",
    row.action,
    row.entityType,
    row.entityId,
    json(row.before),
    json(row.after),
    row.ip ?? "",
  ]);
}

const day = z
  .string()
  .refine(isCalendarDate)
  .optional()
  .catch(undefined)
  .transform((v) => v || undefined);
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((v) => v || undefined);

/** The audit page's query string; a malformed value is dropped, never an error page. */
export const auditFilterSchema = z.object({
  from: day,
  to: day,
  actor: text(100),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)?$/)
    .optional()
    .catch(undefined),
  entityType: z
    .string()
    .regex(/^[a-z_]+$/)
    .optional()
    .catch(undefined),
  entityId: text(100),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export type AuditQuery = z.infer<typeof auditFilterSchema>;

/** The query string of a filter (for page links and the CSV link), without empty values. */
export function auditQueryString(filter: Partial<AuditQuery>, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ["from", "to", "actor", "action", "entityType", "entityId"] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (page && page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
