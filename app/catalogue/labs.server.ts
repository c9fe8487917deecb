import { randomBytes } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { invitations, labs, memberships, organizations, users } from "../../db/schema";
import { inviteeLocale, issueInvitation, openInvitations, type Inviter } from "~/accounts/invitations.server";
import { getDb } from "~/lib/db.server";
import { changedFields, type Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
import { slugOf, type LabInput } from "./onboarding";
import type { Outcome } from "./onboarding.server";

/** An institution admin's labs and lab staff: everything here is scoped by the organisation id. */

export async function getInstitution(organizationId: string) {
  const db = await getDb();
  const [[organization], labRows] = await Promise.all([
    db.select().from(organizations).where(eq(organizations.id, organizationId)).limit(1),
    db
      .select({
        id: labs.id,
        slug: labs.slug,
        nameZh: labs.nameZh,
        nameEn: labs.nameEn,
        address: labs.address,
        timeZone: labs.timeZone,
        staffCount: count(memberships.id),
      })
      .from(labs)
      .leftJoin(memberships, and(eq(memberships.labId, labs.id), eq(memberships.role, "lab_staff")))
      .where(eq(labs.organizationId, organizationId))
      .groupBy(labs.id)
      .orderBy(asc(labs.nameZh)),
  ]);
  return organization ? { organization, labs: labRows } : null;
}

export async function createLab(organizationId: string, input: LabInput, actor: Actor): Promise<{ id: string; slug: string }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [lab] = await tx
      .insert(labs)
      .values({ ...input, organizationId, slug: slugOf(input.nameEn, randomBytes(3).toString("hex")) })
      .returning({ id: labs.id, slug: labs.slug });
    await recordAudit(tx, { actorUserId: actor.userId, organizationId, action: "lab.create", entityType: "lab", entityId: lab.id, after: input, ip: actor.ip });
    return lab;
  });
}

/** Changes a lab of this organisation; false when the lab belongs to another (or none). */
export async function updateLab(organizationId: string, labId: string, input: LabInput, actor: Actor): Promise<boolean> {
  const db = await getDb();
  // A field left empty clears it: undefined would leave the old value in place.
  const fields = {
    nameZh: input.nameZh,
    nameEn: input.nameEn,
    timeZone: input.timeZone,
    address: input.address ?? null,
    contactName: input.contactName ?? null,
    contactPhone: input.contactPhone ?? null,
    contactEmail: input.contactEmail ?? null,
  };
  return db.transaction(async (tx) => {
    const scope = and(eq(labs.id, labId), eq(labs.organizationId, organizationId));
    const [before] = await tx.select().from(labs).where(scope).for("update");
    if (!before) return false;
    await tx.update(labs).set(fields).where(scope);
    const change = changedFields(before, fields);
    if (change) await recordAudit(tx, { actorUserId: actor.userId, organizationId, action: "lab.update", entityType: "lab", entityId: labId, ...change, ip: actor.ip });
    return true;
  });
}

/** The lab page for its institution admin: the lab, its staff and its open invitations. */
export async function getLabForInstitution(organizationId: string, labId: string) {
  const db = await getDb();
  const [lab] = await db
    .select()
    .from(labs)
    .where(and(eq(labs.id, labId), eq(labs.organizationId, organizationId)))
    .limit(1);
  if (!lab) return null;
  const [staff, open] = await Promise.all([
    db
      .select({ userId: users.id, displayName: users.displayName, email: users.email, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.labId, labId), eq(memberships.role, "lab_staff")))
      .orderBy(asc(users.displayName)),
    openInvitations(eq(invitations.labId, labId)),
  ]);
  return { lab, staff, invitations: open };
}

/**
 * Emails a single-use invitation link valid for 7 days; the invitation row and the mail job are
 * written together. Someone already on the lab's staff is told so instead.
 */
export async function inviteLabStaff(
  organizationId: string,
  labId: string,
  inviter: Inviter,
  email: string,
  origin: string,
): Promise<Outcome | { ok: false; notFound: true }> {
  const db = await getDb();
  const [lab] = await db
    .select({ lab: labs, organization: organizations })
    .from(labs)
    .innerJoin(organizations, eq(organizations.id, labs.organizationId))
    .where(and(eq(labs.id, labId), eq(labs.organizationId, organizationId)))
    .limit(1);
  if (!lab) return { ok: false, notFound: true };
  const [already] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.labId, labId), eq(memberships.role, "lab_staff"), sql`lower(${users.email}) = ${email}`))
    .limit(1);
  if (already) return { ok: false, errors: { email: "onboarding:validation.alreadyStaff" } };
  const locale = await inviteeLocale(email);
  await issueInvitation({
    organizationId,
    role: "lab_staff",
    labId,
    email,
    inviter,
    entity: { type: "lab", id: labId },
    mail: { template: "lab-invitation", locale, props: { lab: locale === "en" ? lab.lab.nameEn : lab.lab.nameZh, organization: locale === "en" ? lab.organization.nameEn : lab.organization.nameZh } },
    origin,
  });
  return { ok: true };
}

