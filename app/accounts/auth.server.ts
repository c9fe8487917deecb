import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { emailTokens, labs, memberships, organizations, users } from "../../db/schema";
import { getDb, type Tx } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import type { Locale } from "~/lib/i18n";
import { prepareEmailQueue, queueEmail } from "~/lib/mail.server";
import { commitSession, destroySession, getSession, newCsrfToken } from "~/lib/session.server";
import type { FieldErrors } from "~/lib/validation";
import { recordAudit } from "~/trust/audit.server";
import { passwordProblem } from "./password";
import { TOKEN_PATTERN, type ChangeEmailInput, type ChangePasswordInput, type CompanyInput, type ResetPasswordInput, type SignInInput, type SignUpInput } from "./schemas";

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

const HOUR = 60 * 60 * 1000;
const TOKEN_LIFETIME = { verify_email: 48 * HOUR, reset_password: HOUR, change_email: 24 * HOUR } as const;
type TokenPurpose = keyof typeof TOKEN_LIFETIME;

/** Link problems, one translated sentence each, shown on the page the link opens. */
export type LinkProblem = "accounts:link.invalid" | "accounts:link.used" | "accounts:link.expired";

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** Emailed links point at PUBLIC_URL when it is set (behind a proxy the request origin may be internal). */
function linkBase(requestOrigin: string) {
  return (env().PUBLIC_URL ?? requestOrigin).replace(/\/+$/, "");
}

/** Stores only the hash; the token itself exists in the email alone. `email`: the address a change_email link confirms. */
async function issueToken(tx: Tx, userId: string, purpose: TokenPurpose, email: string | null = null): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(emailTokens).values({
    userId,
    purpose,
    email,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + TOKEN_LIFETIME[purpose]),
  });
  return token;
}

async function sendVerification(tx: Tx, user: { id: string; email: string; displayName: string; locale: string }, origin: string) {
  const token = await issueToken(tx, user.id, "verify_email");
  await queueEmail(tx, {
    to: user.email,
    locale: user.locale,
    template: "verify-email",
    props: { name: user.displayName, url: `${linkBase(origin)}/verify-email?token=${token}` },
  });
}

/** The constraint a unique violation names, through drizzle's error wrapping and either driver. */
function uniqueViolation(error: unknown): string | null {
  for (let e: any = error; e; e = e.cause) {
    if (e.code === "23505") return String(e.constraint_name ?? e.constraint ?? "");
  }
  return null;
}

const emailTaken: FieldErrors = { email: "accounts:validation.emailTaken" };
const creditCodeTaken: FieldErrors = { creditCode: "accounts:validation.creditCodeTaken" };

/**
 * Creates the user and, when a company is given, its enterprise organisation with the user as
 * org admin and customer; the verification email is queued in the same transaction.
 */
export async function signUp(
  input: SignUpInput,
  context: { locale: Locale; origin: string },
): Promise<Outcome<{ userId: string }>> {
  const db = await getDb();
  const [sameEmail, sameCode] = await Promise.all([
    db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.email}`).limit(1),
    input.creditCode
      ? db.select({ id: organizations.id }).from(organizations).where(eq(organizations.creditCode, input.creditCode)).limit(1)
      : [],
  ]);
  const errors: FieldErrors = { ...(sameEmail.length ? emailTaken : {}), ...(sameCode.length ? creditCodeTaken : {}) };
  if (Object.keys(errors).length) return { ok: false, errors };

  const passwordHash = await hash(input.password);
  await prepareEmailQueue();
  try {
    const userId = await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: input.email, passwordHash, displayName: input.displayName, locale: context.locale })
        .returning();
      if (input.organizationName && input.creditCode) await addCompany(tx, user.id, { organizationName: input.organizationName, creditCode: input.creditCode });
      await sendVerification(tx, user, context.origin);
      return user.id;
    });
    return { ok: true, userId };
  } catch (error) {
    // Two sign-ups racing for the same address or code: the index decides, the loser gets the field error.
    const constraint = uniqueViolation(error);
    if (constraint?.includes("email")) return { ok: false, errors: emailTaken };
    if (constraint?.includes("credit_code")) return { ok: false, errors: creditCodeTaken };
    throw error;
  }
}

/** The user's company as an enterprise organisation, with the user as its org admin and a customer. */
async function addCompany(tx: Tx, userId: string, company: CompanyInput): Promise<string> {
  const [org] = await tx
    .insert(organizations)
    .values({
      slug: `org-${randomBytes(5).toString("hex")}`,
      nameZh: company.organizationName,
      nameEn: company.organizationName,
      type: "enterprise",
      creditCode: company.creditCode,
    })
    .returning({ id: organizations.id });
  await tx.insert(memberships).values([
    { userId, organizationId: org!.id, role: "org_admin" },
    { userId, organizationId: org!.id, role: "customer" },
  ]);
  return org!.id;
}

/**
 * A company registered after sign-up, for a user who signed up without one: the same organisation
 * and roles sign-up would have made, written to the new organisation's audit log.
 */
export async function registerCompany(userId: string, input: CompanyInput, ip: string | null = null): Promise<Outcome<{ organizationId: string }>> {
  const db = await getDb();
  const [sameCode] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.creditCode, input.creditCode)).limit(1);
  if (sameCode) return { ok: false, errors: creditCodeTaken };
  try {
    const organizationId = await db.transaction(async (tx) => {
      const id = await addCompany(tx, userId, input);
      await recordAudit(tx, { actorUserId: userId, organizationId: id, action: "organization.register", entityType: "organization", entityId: id, ip, after: input });
      return id;
    });
    return { ok: true, organizationId };
  } catch (error) {
    if (uniqueViolation(error)?.includes("credit_code")) return { ok: false, errors: creditCodeTaken };
    throw error;
  }
}

/** A fresh verification link; earlier ones stay valid until they expire. */
export async function resendVerification(userId: string, origin: string): Promise<{ alreadyVerified: boolean }> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.emailVerifiedAt) return { alreadyVerified: true };
  await prepareEmailQueue();
  await db.transaction((tx) => sendVerification(tx, user, origin));
  return { alreadyVerified: false };
}

type TokenRow = typeof emailTokens.$inferSelect;

async function findToken(tx: Tx, token: string, purpose: TokenPurpose, lock: boolean) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const query = tx
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, sha256(token)), eq(emailTokens.purpose, purpose)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row ?? null;
}

function tokenProblem(row: TokenRow | null): LinkProblem | null {
  if (!row) return "accounts:link.invalid";
  if (row.usedAt) return "accounts:link.used";
  if (row.expiresAt.getTime() <= Date.now()) return "accounts:link.expired";
  return null;
}

export async function verifyEmail(token: string): Promise<{ ok: true } | { ok: false; problem: LinkProblem }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const row = await findToken(tx, token, "verify_email", true);
    const problem = tokenProblem(row);
    if (problem || !row) return { ok: false as const, problem: problem ?? "accounts:link.invalid" };
    await tx.update(emailTokens).set({ usedAt: new Date() }).where(eq(emailTokens.id, row.id));
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, row.userId));
    return { ok: true as const };
  });
}

// Unknown addresses still cost one argon2 verification, so response time does not reveal accounts.
let decoyHash: Promise<string> | undefined;

export async function signIn(input: SignInInput): Promise<Outcome<{ userId: string }>> {
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email}`)
    .limit(1);
  const stored = user?.passwordHash ?? (await (decoyHash ??= hash(randomBytes(16).toString("hex"))));
  const matches = await verify(stored, input.password).catch(() => false);
  if (!user || !matches) return { ok: false, errors: { _form: "accounts:login.invalid" } };
  return { ok: true, userId: user.id };
}

/** Sends a reset link if the address has an account; the caller shows the same message either way. */
export async function requestPasswordReset(email: string, origin: string): Promise<void> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`).limit(1);
  if (!user) return;
  await prepareEmailQueue();
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, user.id, "reset_password");
    await queueEmail(tx, {
      to: user.email,
      locale: user.locale,
      template: "reset-password",
      props: { name: user.displayName, url: `${linkBase(origin)}/reset-password?token=${token}` },
    });
  });
}

/** Whether a reset link can still be used, for the page it opens. */
export async function checkResetToken(token: string): Promise<{ ok: true } | { ok: false; problem: LinkProblem }> {
  const db = await getDb();
  const problem = tokenProblem(await findToken(db, token, "reset_password", false));
  return problem ? { ok: false, problem } : { ok: true };
}

/** A new password ends every reset link still open for the user. */
async function useUpResetLinks(tx: Tx, userId: string, now: Date) {
  await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, "reset_password"), isNull(emailTokens.usedAt)));
}

/** Tells the account's address that its password changed, in the transaction that changes it. */
function noticePasswordChange(tx: Tx, user: { email: string; displayName: string; locale: string }) {
  return queueEmail(tx, { to: user.email, locale: user.locale, template: "password-changed", props: { name: user.displayName } });
}

/** A change to the account's own security, for platform admins' audit log (no organisation's). */
function auditAccount(tx: Tx, userId: string, action: `account.${"password" | "reset" | "email" | "sessions"}`, ip: string | null, change: { before?: unknown; after?: unknown } = {}) {
  return recordAudit(tx, { actorUserId: userId, organizationId: null, action, entityType: "user", entityId: userId, ip, ...change });
}

/** Raises the user's session epoch (with other changes in `set`): every session signed in before it ends. */
async function raiseEpoch(tx: Tx, userId: string, set: PgUpdateSetSource<typeof users> = {}): Promise<number> {
  const [row] = await tx
    .update(users)
    .set({ ...set, sessionEpoch: sql`${users.sessionEpoch} + 1` })
    .where(eq(users.id, userId))
    .returning({ epoch: users.sessionEpoch });
  return row!.epoch;
}

/** The user, when `given` is their current password: changes to the account's security need it, a session left open is not enough. */
async function userIfPasswordMatches(userId: string, given: string) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user && (await verify(user.passwordHash, given).catch(() => false)) ? user : null;
}

/**
 * Sets the new password and uses up the link in one transaction; the user's other reset links die
 * with it, and so do their sessions (whoever knew the old password may be signed in). Opening the
 * emailed link also proves the address, so it counts as verified.
 */
export async function resetPassword(input: ResetPasswordInput, ip: string | null = null): Promise<Outcome> {
  const db = await getDb();
  const row = await findToken(db, input.token, "reset_password", false);
  const problem = tokenProblem(row);
  if (problem || !row) return { ok: false, errors: { token: problem ?? "accounts:link.invalid" } };
  const [user] = await db.select({ email: users.email, displayName: users.displayName, locale: users.locale }).from(users).where(eq(users.id, row.userId));
  const weak = passwordProblem(input.password, user?.email);
  if (weak) return { ok: false, errors: { password: weak } };

  const passwordHash = await hash(input.password);
  await prepareEmailQueue();
  const changed = await db.transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.id, row.id), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
      .returning({ id: emailTokens.id });
    if (!claimed.length) return false;
    await raiseEpoch(tx, row.userId, { passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` });
    await useUpResetLinks(tx, row.userId, now);
    await auditAccount(tx, row.userId, "account.reset", ip);
    if (user) await noticePasswordChange(tx, user);
    return true;
  });
  return changed ? { ok: true } : { ok: false, errors: { token: "accounts:link.used" } };
}

/** The name labs, invoices and messages show for the user. */
export async function renameUser(userId: string, displayName: string): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ displayName }).where(eq(users.id, userId));
}

/**
 * Sets a new password for a signed-in user who gives the current one (a session left open on a
 * shared computer must not be enough). Reset links still outstanding are used up with it, so an
 * old link in the mailbox cannot undo the change, and the user's other sessions end: the caller
 * keeps the current one under the new epoch returned.
 */
export async function changePassword(userId: string, input: ChangePasswordInput, ip: string | null = null): Promise<Outcome<{ epoch: number }>> {
  const user = await userIfPasswordMatches(userId, input.currentPassword);
  if (!user) return { ok: false, errors: { currentPassword: "accounts:password.wrongCurrent" } };
  const weak = passwordProblem(input.password, user.email);
  if (weak) return { ok: false, errors: { password: weak } };
  if (input.password === input.currentPassword) return { ok: false, errors: { password: "accounts:password.unchanged" } };
  const passwordHash = await hash(input.password);
  const db = await getDb();
  await prepareEmailQueue();
  const epoch = await db.transaction(async (tx) => {
    const raised = await raiseEpoch(tx, userId, { passwordHash });
    await useUpResetLinks(tx, userId, new Date());
    await auditAccount(tx, userId, "account.password", ip);
    await noticePasswordChange(tx, user);
    return raised;
  });
  return { ok: true, epoch };
}

/** Ends every session of the user; returns the new epoch, under which the caller keeps its own. */
export async function endOtherSessions(userId: string, ip: string | null = null): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const raised = await raiseEpoch(tx, userId);
    await auditAccount(tx, userId, "account.sessions", ip);
    return raised;
  });
}

/** Whether another account already uses the address (addresses are compared without case). */
async function emailInUse(tx: Tx, email: string, userId: string): Promise<boolean> {
  const [other] = await tx.select({ id: users.id }).from(users).where(and(sql`lower(${users.email}) = ${email}`, sql`${users.id} <> ${userId}`)).limit(1);
  return other !== undefined;
}

/**
 * Sends a link to the new address; the account keeps its address until the link is opened, so a
 * typing mistake cannot lock the user out. The current password is required, as for a new one.
 */
export async function requestEmailChange(userId: string, input: ChangeEmailInput, origin: string): Promise<Outcome> {
  const user = await userIfPasswordMatches(userId, input.currentPassword);
  if (!user) return { ok: false, errors: { currentPassword: "accounts:password.wrongCurrent" } };
  const db = await getDb();
  if (input.email === user.email.toLowerCase()) return { ok: false, errors: { email: "accounts:changeEmail.unchanged" } };
  if (await emailInUse(db, input.email, userId)) return { ok: false, errors: { email: "accounts:changeEmail.taken" } };
  await prepareEmailQueue();
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, userId, "change_email", input.email);
    await queueEmail(tx, {
      to: input.email,
      locale: user.locale,
      template: "change-email",
      props: { name: user.displayName, url: `${linkBase(origin)}/confirm-email?token=${token}` },
    });
  });
  return { ok: true };
}

export type EmailChangeProblem = LinkProblem | "accounts:changeEmail.taken";

/**
 * The link from the new address: the account takes the address (which the link proves, so it
 * counts as verified), every other open link of the user dies (a reset link in the old mailbox
 * would otherwise still reach the account), and the old address is told.
 */
export async function confirmEmailChange(token: string): Promise<{ ok: true; email: string } | { ok: false; problem: EmailChangeProblem }> {
  const db = await getDb();
  await prepareEmailQueue();
  try {
    return await db.transaction(async (tx) => {
      const row = await findToken(tx, token, "change_email", true);
      const problem = tokenProblem(row);
      if (problem || !row?.email) return { ok: false as const, problem: problem ?? "accounts:link.invalid" };
      // Someone may have signed up with the address since the link was sent.
      if (await emailInUse(tx, row.email, row.userId)) return { ok: false as const, problem: "accounts:changeEmail.taken" as const };
      const [before] = await tx.select({ email: users.email, displayName: users.displayName, locale: users.locale }).from(users).where(eq(users.id, row.userId));
      const now = new Date();
      await tx.update(users).set({ email: row.email, emailVerifiedAt: now }).where(eq(users.id, row.userId));
      await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.userId, row.userId), isNull(emailTokens.usedAt)));
      await auditAccount(tx, row.userId, "account.email", null, { before: { email: before!.email }, after: { email: row.email } });
      await queueEmail(tx, { to: before!.email, locale: before!.locale, template: "email-changed", props: { name: before!.displayName, email: row.email } });
      return { ok: true as const, email: row.email };
    });
  } catch (error) {
    // Taken between the check and the update: the unique index decides.
    if (uniqueViolation(error)?.includes("email")) return { ok: false, problem: "accounts:changeEmail.taken" };
    throw error;
  }
}

/** The account page: memberships with organisation (and lab) names, one query. */
export async function accountMemberships(userId: string) {
  const db = await getDb();
  return db
    .select({
      role: memberships.role,
      organizationId: organizations.id,
      organizationNameZh: organizations.nameZh,
      organizationNameEn: organizations.nameEn,
      labNameZh: labs.nameZh,
      labNameEn: labs.nameEn,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .leftJoin(labs, eq(labs.id, memberships.labId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.nameZh, memberships.role);
}

/**
 * Signs the user in under their current session epoch: a fresh CSRF token too, so a token planted
 * before sign-in is worthless after.
 */
export async function createSessionFor(request: Request, userId: string, notice?: string): Promise<string> {
  const db = await getDb();
  const [user] = await db.select({ epoch: users.sessionEpoch }).from(users).where(eq(users.id, userId));
  const session = await getSession(request);
  session.set("userId", userId);
  session.set("epoch", user?.epoch ?? 0);
  session.set("csrf", newCsrfToken());
  if (notice) session.flash("notice", notice);
  return commitSession(session);
}

/**
 * A one-time notice for the next page, for the current session; with `epoch`, the session is kept
 * under the epoch its user's sessions were just raised to.
 */
export async function flashNotice(request: Request, notice: string, epoch?: number): Promise<string> {
  const session = await getSession(request);
  if (epoch !== undefined) session.set("epoch", epoch);
  session.flash("notice", notice);
  return commitSession(session);
}

export async function signOut(request: Request): Promise<string> {
  return destroySession(await getSession(request));
}
