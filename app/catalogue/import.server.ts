import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { categories, labs, organizations } from "../../db/schema";
import { getDb, type Tx } from "~/lib/db.server";
import type { Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
import { logger } from "~/lib/log.server";
import type { ColumnKey } from "./instrument-columns";
import {
  assignSlugs,
  dataRowCount,
  mapHeaders,
  MAX_IMPORT_ROWS,
  MAX_UPLOAD_BYTES,
  PREVIEW_ROWS,
  validateSheet,
  type ImportIssue,
  type Sheet,
} from "./import";
import type { RecordContext } from "./instrument-record";
import { asciiSlug, slugBase } from "./manage-slug";
import { insertInstrumentsBulk, type BulkInstrumentRow } from "./instrument-writes.server";
import { readSpreadsheet } from "./spreadsheet.server";
import { dateTimeFormat } from "~/lib/intl";

/**
 * The import command: check an uploaded file (preview with every row-level error), then insert all
 * its instruments as drafts of one lab in one transaction, or nothing.
 */

/** Listing more problems than this helps nobody; the count of the rest is shown. */
export const MAX_LISTED_ISSUES = 5_000;

export type ImportCheck = {
  ok: boolean;
  fileHash: string;
  rowCount: number;
  issues: ImportIssue[];
  moreIssues: number;
  preview: { row: number; cells: Partial<Record<ColumnKey, string>> }[];
};

type LabInfo = { id: string; slug: string; organizationId: string; timeZone: string };

export const fileHash = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Today in the lab's zone: purchase and commissioning dates may not be later. */
export function todayIn(timeZone: string, now = new Date()): string {
  return dateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

async function loadContext(tx: Tx, labId: string): Promise<{ lab: LabInfo; ctx: RecordContext } | null> {
  const [[lab], codes] = await Promise.all([
    tx.select({ id: labs.id, slug: labs.slug, organizationId: labs.organizationId, timeZone: labs.timeZone }).from(labs).where(eq(labs.id, labId)).limit(1),
    tx.select({ code: categories.code }).from(categories),
  ]);
  if (!lab) return null;
  return { lab, ctx: { today: todayIn(lab.timeZone), categoryCodes: new Set(codes.map((c) => c.code)) } };
}

function refused(bytes: Buffer, issue: ImportIssue, rowCount = 0): ImportCheck {
  return { ok: false, fileHash: fileHash(bytes), rowCount, issues: [issue], moreIssues: 0, preview: [] };
}

async function examine(tx: Tx, labId: string, bytes: Buffer) {
  const context = await loadContext(tx, labId);
  if (!context) throw new Error(`lab ${labId} vanished during an import`);
  if (bytes.length > MAX_UPLOAD_BYTES) {
    return { context, check: refused(bytes, { row: null, column: null, message: "import:error.tooLarge", params: { max: MAX_UPLOAD_BYTES / 1024 / 1024 } }) };
  }
  const read = await readSpreadsheet(bytes);
  if (!read.ok) return { context, check: refused(bytes, read.issue) };
  const count = dataRowCount(read.sheet);
  if (count > MAX_IMPORT_ROWS) {
    return { context, check: refused(bytes, { row: null, column: null, message: "import:error.tooManyRows", params: { count, max: MAX_IMPORT_ROWS } }, count) };
  }
  const result = validateSheet(read.sheet, context.ctx);
  const check: ImportCheck = {
    ok: result.issues.length === 0,
    fileHash: fileHash(bytes),
    rowCount: result.rowCount,
    issues: result.issues.slice(0, MAX_LISTED_ISSUES),
    moreIssues: Math.max(0, result.issues.length - MAX_LISTED_ISSUES),
    preview: previewRows(read.sheet),
  };
  return { context, check, records: result.records };
}

/** The first rows as the file holds them, by column, for the preview table. */
function previewRows(sheet: Sheet): ImportCheck["preview"] {
  const { columns } = mapHeaders(sheet.headers);
  return sheet.rows
    .filter((r) => r.cells.some((c) => c.trim() !== ""))
    .slice(0, PREVIEW_ROWS)
    .map((r) => {
      const cells: Partial<Record<ColumnKey, string>> = {};
      columns.forEach((key, i) => {
        if (key) cells[key] = r.cells[i] ?? "";
      });
      return { row: r.number, cells };
    });
}

/** The lab and institution names for the import page. */
export async function importPage(labId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ lab: { id: labs.id, nameZh: labs.nameZh, nameEn: labs.nameEn }, organization: { nameZh: organizations.nameZh, nameEn: organizations.nameEn } })
    .from(labs)
    .innerJoin(organizations, eq(organizations.id, labs.organizationId))
    .where(eq(labs.id, labId))
    .limit(1);
  return row ?? null;
}

/** Reads and validates an upload without writing anything. */
export async function checkImport(labId: string, bytes: Buffer): Promise<ImportCheck> {
  const db = await getDb();
  return (await examine(db, labId, bytes)).check;
}

export type ImportOutcome = { ok: true; count: number; ms: number } | { ok: false; check: ImportCheck; changed?: boolean };

/**
 * Validates the file again (the classification may have changed since the preview) and inserts
 * every record as a draft of the lab, all in one transaction. With `previewedHash`, a file other
 * than the one previewed is only checked, so nobody imports what they have not seen.
 */
export async function importInstruments(labId: string, bytes: Buffer, actor: Actor, previewedHash?: string): Promise<ImportOutcome> {
  if (previewedHash !== undefined && previewedHash !== fileHash(bytes)) {
    return { ok: false, check: await checkImport(labId, bytes), changed: true };
  }
  const started = performance.now();
  let validated = started;
  const db = await getDb();
  try {
    const outcome = await db.transaction(async (tx): Promise<ImportOutcome> => {
      const { context, check, records } = await examine(tx, labId, bytes);
      if (!check.ok || !records) return { ok: false, check };
      validated = performance.now();
      const { lab } = context;
      const bases = records.map((r) => slugBase(lab.slug, r.model, r.nameEn));
      const slugs = assignSlugs(bases, await takenSlugs(tx, lab.slug, bases));
      const rows: BulkInstrumentRow[] = records.map((r, i) => ({
        ...r,
        slug: slugs[i],
        labId: lab.id,
        organizationId: lab.organizationId,
        status: "draft",
      }));
      const ids = await insertInstrumentsBulk(tx, rows);
      // One entry for the whole file: the instruments it created are listed by id and slug.
      await recordAudit(tx, {
        actorUserId: actor.userId,
        organizationId: lab.organizationId,
        action: "instrument.import",
        entityType: "lab",
        entityId: lab.id,
        after: { count: ids.length, instruments: ids.map((id, i) => ({ id, slug: rows[i]!.slug })) },
        ip: actor.ip,
      });
      return { ok: true, count: rows.length, ms: Math.round(performance.now() - started) };
    });
    if (outcome.ok) {
      logger.info({ labId, count: outcome.count, ms: outcome.ms, validateMs: Math.round(validated - started) }, "instruments imported");
    }
    return outcome;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another import into the same lab took a slug between our lookup and insert.
    return { ok: false, check: refused(bytes, { row: null, column: null, message: "import:error.conflict" }) };
  }
}

/** Existing slugs equal to one of the bases or to a base with a numeric suffix: one query. */
async function takenSlugs(tx: Tx, labSlug: string, bases: string[]): Promise<string[]> {
  const wanted = sql`(select jsonb_array_elements_text(${JSON.stringify([...new Set(bases)])}::jsonb))`;
  // Every base starts with the lab's slug, which narrows the rows the regular expression sees.
  const prefix = `${asciiSlug(labSlug).replace(/[\\%_]/g, "\\$&")}-%`;
  const result: any = await tx.execute(
    sql`select slug from instruments where slug like ${prefix} and (slug in ${wanted} or regexp_replace(slug, '-[0-9]+$', '') in ${wanted})`,
  );
  return (Array.isArray(result) ? result : result.rows).map((r: { slug: string }) => r.slug);
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: any = error; e; e = e.cause) if (e.code === "23505") return true;
  return false;
}
