import { eq, like, or, sql } from "drizzle-orm";
import { instruments, labs } from "../../db/schema";
import type { InstrumentStatus } from "../../db/schema/vocabulary";
import { getDb } from "~/lib/db.server";
import type { Actor } from "~/trust/audit";
import { changedFields } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
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
export async function createInstrument(labId: string, form: FormData, actor: Actor): Promise<WriteResult<{ id: string; slug: string }>> {
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
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId: lab.organizationId,
      action: "instrument.create",
      entityType: "instrument",
      entityId: id,
      after: { slug, ...parsed.data },
      ip: actor.ip,
    });
    return { ok: true as const, id, slug };
  });
}

export async function updateInstrument(instrumentId: string, form: FormData, actor: Actor): Promise<WriteResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ timeZone: labs.timeZone, instrument: instruments })
      .from(instruments)
      .innerJoin(labs, eq(labs.id, instruments.labId))
      .where(eq(instruments.id, instrumentId))
      .for("update", { of: instruments })
      .limit(1);
    if (!row) return fail({ _form: "manage:errors.instrumentGone" });
    const parsed = parseForm(await recordSchemaFor(tx, row.timeZone), form);
    if (!parsed.ok) return fail(byField(parsed.errors));
    await updateInstrumentRecord(tx, instrumentId, parsed.data);
    const change = changedFields(row.instrument, parsed.data);
    if (change) {
      await recordAudit(tx, {
        actorUserId: actor.userId,
        organizationId: row.instrument.organizationId,
        action: "instrument.update",
        entityType: "instrument",
        entityId: instrumentId,
        ...change,
        ip: actor.ip,
      });
    }
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
  by: Actor,
  reason?: string,
): Promise<WriteResult<{ status: InstrumentStatus }>> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: instruments.status, publishedAt: instruments.publishedAt, organizationId: instruments.organizationId, suspensionReason: instruments.suspensionReason })
      .from(instruments)
      .where(eq(instruments.id, instrumentId))
      .for("update")
      .limit(1);
    if (!row) return fail({ _form: "manage:errors.instrumentGone" });
    const next = transition(row.status, action, actor);
    if (!next.ok) return fail({ _form: next.error });
    if (action === "suspend" && !reason?.trim()) return fail({ reason: "validation.required" });
    const now = new Date();
    const suspensionReason = action === "suspend" ? reason!.trim() : null;
    await tx
      .update(instruments)
      .set({
        status: next.to,
        suspensionReason,
        // "Newest" in the directory means newly published; lifting a suspension keeps the original date.
        publishedAt: action === "publish" ? now : next.to === "draft" ? null : row.publishedAt,
        updatedAt: now,
      })
      .where(eq(instruments.id, instrumentId));
    await recordAudit(tx, {
      actorUserId: by.userId,
      organizationId: row.organizationId,
      action: `instrument.${action}`,
      entityType: "instrument",
      entityId: instrumentId,
      before: { status: row.status, suspensionReason: row.suspensionReason },
      after: { status: next.to, suspensionReason },
      ip: by.ip,
      at: now,
    });
    return { ok: true as const, status: next.to };
  });
}
