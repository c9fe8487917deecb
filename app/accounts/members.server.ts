import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { invitations, memberships, organizations, users } from "../../db/schema";
import type { Outcome } from "~/catalogue/onboarding.server";
import { getDb } from "~/lib/db.server";
import type { Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";
import { inviteeLocale, issueInvitation, openInvitations, type Inviter } from "./invitations.server";

/** A customer organisation's members as its org admin manages them: who books in its name. */

const MEMBER_ROLES = ["customer", "org_admin"] as const;

/** The organisation, its members (one row per person, with their roles) and its open invitations. */
export async function organizationMembers(organizationId: string) {
  const db = await getDb();
  const [[organization], rows, open] = await Promise.all([
    db.select({ id: organizations.id, nameZh: organizations.nameZh, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, organizationId)).limit(1),
    db
      .select({ userId: users.id, displayName: users.displayName, email: users.email, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.role, MEMBER_ROLES)))
      .orderBy(asc(users.displayName), asc(memberships.createdAt)),
    openInvitations(and(eq(invitations.organizationId, organizationId), eq(invitations.role, "customer"))),
  ]);
  if (!organization) return null;
  const members = new Map<string, { userId: string; displayName: string; email: string; roles: string[]; since: Date }>();
  for (const r of rows) {
    const member = members.get(r.userId);
    if (member) member.roles.push(r.role);
    else members.set(r.userId, { userId: r.userId, displayName: r.displayName, email: r.email, roles: [r.role], since: r.since });
  }
  return { organization, members: [...members.values()], invitations: open };
}

/** Emails a colleague a link to join as a customer; someone who already books for the organisation is told so instead. */
export async function inviteMember(
  organizationId: string,
  inviter: Inviter,
  email: string,
  origin: string,
): Promise<Outcome | { ok: false; notFound: true }> {
  const db = await getDb();
  const [[organization], [already]] = await Promise.all([
    db.select({ nameZh: organizations.nameZh, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, organizationId)).limit(1),
    db
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "customer"), sql`lower(${users.email}) = ${email}`))
      .limit(1),
  ]);
  if (!organization) return { ok: false, notFound: true };
  if (already) return { ok: false, errors: { email: "accounts:members.alreadyMember" } };
  const locale = await inviteeLocale(email);
  await issueInvitation({
    organizationId,
    role: "customer",
    labId: null,
    email,
    inviter,
    entity: { type: "organization", id: organizationId },
    mail: { template: "member-invitation", locale, props: { organization: locale === "en" ? organization.nameEn : organization.nameZh } },
    origin,
  });
  return { ok: true };
}

/**
 * Takes a member's customer and org admin roles away: they no longer book in the organisation's
 * name; their bookings and charges stay the organisation's. An admin does not remove themselves.
 */
export async function removeMember(organizationId: string, actor: Actor, userId: string): Promise<Outcome> {
  if (userId === actor.userId) return { ok: false, errors: { _form: "accounts:members.notSelf" } };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(memberships)
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId), inArray(memberships.role, MEMBER_ROLES)))
      .returning({ role: memberships.role });
    if (removed.length === 0) return { ok: false as const, errors: { _form: "accounts:members.notMember" } };
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId,
      action: "role.revoke",
      entityType: "user",
      entityId: userId,
      before: { roles: removed.map((r) => r.role).sort() },
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}

/**
 * Makes a member an org admin of the organisation, or no longer one. An admin keeps the customer
 * role to book, and a former admin becomes one (so they stay a member); nobody demotes themselves,
 * so an organisation always keeps an admin. One audit row with the roles before and after.
 */
export async function setOrgAdmin(organizationId: string, actor: Actor, userId: string, admin: boolean): Promise<Outcome<{ changed: boolean }>> {
  if (!admin && userId === actor.userId) return { ok: false, errors: { _form: "accounts:members.notSelfAdmin" } };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const held = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId), inArray(memberships.role, MEMBER_ROLES)))
      .for("update");
    if (held.length === 0) return { ok: false as const, errors: { _form: "accounts:members.notMember" } };
    const before = held.map((h) => h.role).sort();
    const after = admin ? [...MEMBER_ROLES].sort() : ["customer"];
    if (before.join() === after.join()) return { ok: true as const, changed: false };
    if (admin) {
      await tx.insert(memberships).values(MEMBER_ROLES.map((role) => ({ userId, organizationId, role }))).onConflictDoNothing();
    } else {
      await tx.insert(memberships).values({ userId, organizationId, role: "customer" }).onConflictDoNothing();
      await tx.delete(memberships).where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId), eq(memberships.role, "org_admin")));
    }
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId,
      action: admin ? "role.grant" : "role.revoke",
      entityType: "user",
      entityId: userId,
      before: { roles: before },
      after: { roles: after },
      ip: actor.ip,
    });
    return { ok: true as const, changed: true };
  });
}
