import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import { invitations, labs, memberships, organizations, users, type InvitationRole } from "../../db/schema";
import { TOKEN_PATTERN } from "~/accounts/schemas";
import { INVITATION_LIFETIME_MS, invitationProblem, type InvitationProblem } from "~/catalogue/onboarding";
import { linkBase } from "~/catalogue/onboarding.server";
import { getDb } from "~/lib/db.server";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import type { Actor } from "~/trust/audit";
import { recordAudit } from "~/trust/audit.server";

/**
 * Emailed, single-use invitations into an organisation: lab staff of one of an institution's labs,
 * or a customer of a company. Only the invited address may accept.
 */

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** The invitations still open (not accepted, not expired) that match `where`, newest first. */
export async function openInvitations(where: SQL | undefined) {
  const db = await getDb();
  return db
    .select({ id: invitations.id, email: invitations.email, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .where(and(where, isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt), gt(invitations.expiresAt, sql`now()`)))
    .orderBy(desc(invitations.createdAt));
}

/** The locale the invited address reads mail in: its user's, or Chinese for an address not yet signed up. */
export async function inviteeLocale(email: string): Promise<string> {
  const db = await getDb();
  const [invitee] = await db.select({ locale: users.locale }).from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
  return invitee?.locale ?? "zh-CN";
}

/** Who sends an invitation: named in the mail, recorded in the audit log. */
export type Inviter = { id: string; displayName: string; ip: string | null };

type NewInvitation = {
  organizationId: string;
  role: InvitationRole;
  labId: string | null;
  email: string;
  inviter: Inviter;
  /** What the audit row is about: the lab, or the organisation. */
  entity: { type: "lab" | "organization"; id: string };
  /** The mail, in the invitee's locale, with the names it shows; the link is added here. */
  mail: { template: "lab-invitation" | "member-invitation"; locale: string; props: { organization: string; lab?: string } };
  origin: string;
};

/** Writes the invitation, its audit row and its mail job in one transaction; the link lives 7 days. */
export async function issueInvitation(input: NewInvitation): Promise<void> {
  const token = randomBytes(32).toString("base64url");
  const db = await getDb();
  await prepareEmailQueue();
  await db.transaction(async (tx) => {
    const [invitation] = await tx
      .insert(invitations)
      .values({
        organizationId: input.organizationId,
        role: input.role,
        labId: input.labId,
        email: input.email,
        tokenHash: sha256(token),
        invitedBy: input.inviter.id,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      })
      .returning({ id: invitations.id });
    await recordAudit(tx, {
      actorUserId: input.inviter.id,
      organizationId: input.organizationId,
      action: "invitation.create",
      entityType: input.entity.type,
      entityId: input.entity.id,
      after: { email: input.email, role: input.role, invitationId: invitation!.id },
      ip: input.inviter.ip,
    });
    await queueEmail(tx, {
      to: input.email,
      locale: input.mail.locale,
      template: input.mail.template,
      props: { inviter: input.inviter.displayName, ...input.mail.props, url: `${linkBase(input.origin)}/invitations/${token}` },
    });
  });
}

/**
 * Withdraws an open invitation of `scope` (a lab's, or an organisation's customer invitations):
 * its link then says it was withdrawn. False when there is no such open invitation.
 */
export async function withdrawInvitation(scope: { organizationId: string; labId: string | null }, invitationId: string, actor: Actor): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [withdrawn] = await tx
      .update(invitations)
      .set({ withdrawnAt: sql`now()` })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.organizationId, scope.organizationId),
          scope.labId ? eq(invitations.labId, scope.labId) : isNull(invitations.labId),
          isNull(invitations.acceptedAt),
          isNull(invitations.withdrawnAt),
          gt(invitations.expiresAt, sql`now()`),
        ),
      )
      .returning({ email: invitations.email, role: invitations.role });
    if (!withdrawn) return false;
    await recordAudit(tx, {
      actorUserId: actor.userId,
      organizationId: scope.organizationId,
      action: "invitation.withdraw",
      entityType: scope.labId ? "lab" : "organization",
      entityId: scope.labId ?? scope.organizationId,
      before: { ...withdrawn, invitationId },
      ip: actor.ip,
    });
    return true;
  });
}

async function findInvitation(token: string) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      invitation: invitations,
      lab: { id: labs.id, slug: labs.slug, nameZh: labs.nameZh, nameEn: labs.nameEn },
      organization: { nameZh: organizations.nameZh, nameEn: organizations.nameEn },
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .leftJoin(labs, eq(labs.id, invitations.labId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  return row ?? null;
}

/** What the invitation page shows before the user accepts: the organisation and lab, or why the link is no good. */
export async function describeInvitation(token: string, now = new Date()) {
  const row = await findInvitation(token);
  const problem = invitationProblem(row?.invitation ?? null, now);
  if (problem || !row) return { ok: false as const, problem: problem ?? "onboarding:invitation.invalid" };
  return { ok: true as const, email: row.invitation.email, role: row.invitation.role, lab: row.lab, organization: row.organization };
}

export type AcceptProblem = InvitationProblem | "onboarding:invitation.otherEmail";

/**
 * Gives the signed-in user the invitation's role (lab staff of its lab, or customer of its
 * organisation). Only the invited address may accept (a forwarded link is no key); the link then
 * stops working.
 */
export async function acceptInvitation(
  token: string,
  user: { id: string; email: string },
  ip: string | null,
  now = new Date(),
): Promise<{ ok: true; role: InvitationRole; labId: string | null } | { ok: false; problem: AcceptProblem }> {
  const row = await findInvitation(token);
  const problem = invitationProblem(row?.invitation ?? null, now);
  if (problem || !row) return { ok: false, problem: problem ?? "onboarding:invitation.invalid" };
  const { invitation } = row;
  if (invitation.email.toLowerCase() !== user.email.toLowerCase()) return { ok: false, problem: "onboarding:invitation.otherEmail" };
  const db = await getDb();
  return db.transaction(async (tx) => {
    // The conditional update is the single-use guard: of two racing accepts, or an accept racing a
    // withdrawal, one changes the row.
    const taken = await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedUserId: user.id })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt)))
      .returning({ id: invitations.id });
    if (taken.length === 0) {
      const [latest] = await tx.select({ withdrawnAt: invitations.withdrawnAt }).from(invitations).where(eq(invitations.id, invitation.id));
      return { ok: false as const, problem: latest?.withdrawnAt ? ("onboarding:invitation.withdrawn" as const) : ("onboarding:invitation.used" as const) };
    }
    await tx
      .insert(memberships)
      .values({ userId: user.id, organizationId: invitation.organizationId, role: invitation.role, labId: invitation.labId })
      .onConflictDoNothing();
    await recordAudit(tx, {
      actorUserId: user.id,
      organizationId: invitation.organizationId,
      action: "role.grant",
      entityType: "user",
      entityId: user.id,
      after: { role: invitation.role, labId: invitation.labId, invitationId: invitation.id },
      ip,
      at: now,
    });
    return { ok: true as const, role: invitation.role, labId: invitation.labId };
  });
}
