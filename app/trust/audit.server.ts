// The audit log (DESIGN.md §4; issue "Trust and governance"): one row per change, written by the
// command that makes the change, inside its transaction.
import { auditLog } from "../../db/schema";
import type { Tx } from "~/lib/db.server";

export interface AuditEntry {
  /** Null when the system acted. */
  actorUserId: string | null;
  /** The organisation whose admins may read the entry (the instrument's institution, the customer's company …). */
  organizationId: string | null;
  /** Dotted verb: `instrument.update`, `rate.create`, `booking.approve`, `role.grant`, `setting.update` … */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** The client's address from the request (loadContext.clientIp), when a person acted. */
  ip?: string | null;
  at?: Date;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    organizationId: entry.organizationId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ip: entry.ip || null,
    ...(entry.at ? { at: entry.at } : {}),
  });
}
