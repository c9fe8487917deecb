import { eq, like, or, sql } from "drizzle-orm";
import { instruments, labs } from "../../db/schema";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import { getDb } from "~/lib/db.server";
import { parseForm, type FieldErrors } from "~/lib/validation";
import { insertInstrument, updateInstrumentRecord } from "./instrument-writes.server";
import { transition, type StatusAction, type StatusActor } from "./instrument-status";
import { firstFreeSlug, slugBase } from "./manage-slug";
import { recordSchemaFor } from "./manage.server";

/** Lab staff's commands on instrument records: create, edit, and move through the status workflow. */

export type WriteResult<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

const fail = (errors: FieldErrors) => ({ ok: false as const, errors });

/** Errors keyed by form field: an error in "serviceModes.1" belongs next to the serviceModes checkboxes. */
export function byField(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) out[path.split(".")[0]] ??= message;
  return out;
}

/** A new draft in this lab from the record form; its slug is chosen in the same transaction. */
export async function createInstrument(labId: string, form: FormData): Promise<WriteResult<{ id: string; slug: string }>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [lab] = await tx
      .select({ slug: labs.slug, organizationId: labs.organizationId, timeZone: labs.timeZone })
      .from(labs)
      .where(eq(labs.id, labId))
      .limit(1);
    if (!lab) return fail({ _form: "manage:errors.labGone" });
    const parsed = parseForm(await recordSchemaFor(tx, lab.timeZone), form);
    if (!parsed.ok) return fail(byField(parsed.errors));
    const base = slugBase(lab.slug, parsed.data.model, parsed.data.nameEn);
    // Two labs saving the same model at once queue on this lock instead of colliding on the slug.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`instrument-slug:${base}`}))`);
    const taken = await tx
      .select({ slug: instruments.slug })
      .from(instruments)
      .where(or(eq(instruments.slug, base), like(instruments.slug, `${base}-%`)));
    const slug = firstFreeSlug(base, taken.map((t) => t.slug));
    const id = await insertInstrument(tx, { ...parsed.data, slug, labId, organizationId: lab.organizationId, status: "draft" });
    return { ok: true as const, id, slug };
  });
}

export async function updateInstrument(instrumentId: string, form: FormData): Promise<WriteResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ timeZone: labs.timeZone })
      .from(instruments)
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(eq(instruments.id, instrumentId))
      .limit(1);
    if (!row) return fail({ _form: "manage:errors.instrumentGone" });
    const parsed = parseForm(await recordSchemaFor(tx, row.timeZone), form);
    if (!parsed.ok) return fail(byField(parsed.errors));
    await updateInstrumentRecord(tx, instrumentId, parsed.data);
    return { ok: true as const };
  });
}

/**
 * Applies one workflow action under a row lock, so two admins (or an admin and the lab) acting at
 * once see each other's result. A suspension carries its reason; lifting it clears the reason.
 */
export async function changeStatus(
  instrumentId: string,
  action: StatusAction,
  actor: StatusActor,
  reason?: string,
): Promise<WriteResult<{ status: InstrumentStatus }>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: instruments.status, publishedAt: instruments.publishedAt })
      .from(instruments)
      .where(eq(instruments.id, instrumentId))
      .for("update")
      .limit(1);
    if (!row) return fail({ _form: "manage:errors.instrumentGone" });
    const next = transition(row.status, action, actor);
    if (!next.ok) return fail({ _form: next.error });
    if (action === "suspend" && !reason?.trim()) return fail({ reason: "validation.required" });
    const now = new Date();
    await tx
      .update(instruments)
      .set({
        status: next.to,
        suspensionReason: action === "suspend" ? reason!.trim() : null,
        // "Newest" in the directory means newly published; lifting a suspension keeps the original date.
        publishedAt: action === "publish" ? now : next.to === "draft" ? null : row.publishedAt,
        updatedAt: now,
      })
      .where(eq(instruments.id, instrumentId));
    return { ok: true as const, status: next.to };
  });
}
