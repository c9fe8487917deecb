import { data, redirect } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { bookings, instruments, labs, memberships, organizations, providerApplications, sampleJobs, users } from "../../db/schema";
import { builtOnce, getDb } from "~/lib/db.server";
import { bookingOwner, instrumentOwner } from "~/reporting/drilldown.server";
import { complaintOwners } from "~/trust/complaints.server";
import { formOf } from "~/lib/form.server";
import { csrfMatches, getSession } from "~/lib/session.server";
import { verifyStripeEvent } from "~/lib/stripe.server";
import { bookingRefusal, can, type Permission, type Scope, type Viewer } from "./permissions";

/**
 * The one place that decides who may do what. Every loader and action calls exactly one of the
 * functions below; each of them also checks the CSRF token on a mutation.
 */

const viewers = new WeakMap<Request, Promise<Viewer>>();
const sessions = new WeakMap<Request, ReturnType<typeof getSession>>();

/**
 * The session as the request's cookie carries it, verified once for the CSRF check, the viewer
 * and the page shell's CSRF token and notice.
 */
export function sessionOf(request: Request) {
  let session = sessions.get(request);
  if (!session) sessions.set(request, (session = getSession(request)));
  return session;
}

export function getViewer(request: Request): Promise<Viewer> {
  let viewer = viewers.get(request);
  if (!viewer) {
    viewer = loadViewer(request);
    viewers.set(request, viewer);
  }
  return viewer;
}

// Every signed-in request reads this: the user with their memberships, in one statement. (The
// subquery names users.id itself: drizzle leaves columns of a single-table select unqualified.)
const viewerQuery = builtOnce((db) =>
  db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      isPlatformAdmin: users.isPlatformAdmin,
      sessionEpoch: users.sessionEpoch,
      emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
      memberships: sql<NonNullable<Viewer>["memberships"]>`(
        select coalesce(json_agg(json_build_object('organizationId', m.organization_id, 'role', m.role, 'labId', m.lab_id)), '[]')
        from ${memberships} m where m.user_id = users.id)`,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId"))),
);

async function loadViewer(request: Request): Promise<Viewer> {
  const session = await sessionOf(request);
  const userId = session.get("userId");
  if (!userId) return null;
  const [user] = await viewerQuery(await getDb(), { userId });
  // A session signed in before the password last changed, or before the user signed out
  // everywhere, has ended: the visitor is anonymous.
  if (!user || user.sessionEpoch !== (session.get("epoch") ?? 0)) return null;
  const { sessionEpoch: _, ...viewer } = user;
  return viewer;
}

export const forbidden = () => new Response("Forbidden", { status: 403 });
export const notFound = () => new Response("Not Found", { status: 404 });

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Mutations carry the session's token in the `_csrf` field; anything else is refused before it
 * runs. An upload is read from a copy, so its route can still stream the original.
 */
async function checkCsrf(request: Request) {
  if (SAFE_METHODS.has(request.method)) return;
  const session = await sessionOf(request);
  let given: unknown;
  try {
    const upload = request.headers.get("Content-Type")?.startsWith("multipart/form-data");
    given = (await (upload ? request.clone().formData() : formOf(request))).get("_csrf");
  } catch {
    given = undefined;
  }
  if (!csrfMatches(session.get("csrf"), given)) throw forbidden();
}

/** To sign in and back; `ended` when the cookie named a user whose sessions have since been ended. */
async function toLogin(request: Request) {
  const url = new URL(request.url);
  const back = url.pathname + url.search;
  const ended = (await sessionOf(request)).has("userId");
  return redirect(`/login?redirectTo=${encodeURIComponent(back)}${ended ? "&ended=1" : ""}`);
}

/** Public pages: anyone, signed in or not. */
export async function allowAnyone(request: Request): Promise<Viewer> {
  await checkCsrf(request);
  return getViewer(request);
}

/** Sign-in, sign-up and reset pages: a signed-in user is sent home. */
export async function requireAnonymous(request: Request): Promise<void> {
  await checkCsrf(request);
  if (await getViewer(request)) throw redirect("/");
}

export async function requireUser(request: Request): Promise<NonNullable<Viewer>> {
  await checkCsrf(request);
  const viewer = await getViewer(request);
  if (!viewer) throw await toLogin(request);
  return viewer;
}

async function requirePermission(request: Request, permission: Permission, scope: Scope = {}) {
  const viewer = await requireUser(request);
  if (!can(viewer, permission, scope)) throw forbidden();
  return viewer;
}

export function requirePlatformAdmin(request: Request) {
  return requirePermission(request, "manage:organization:platform");
}

export function requireOutboxReader(request: Request) {
  return requirePermission(request, "view:outbox:platform");
}

export function requireOrgAdmin(request: Request, organizationId: string) {
  return requirePermission(request, "manage:members:organization", { organizationId });
}

export function requireInstitutionAdmin(request: Request, organizationId: string) {
  return requirePermission(request, "manage:labs:institution", { organizationId });
}

/** Lab staff of this lab, or an institution admin of the lab's organisation; unknown labs are 404. */
export async function requireLabStaff(request: Request, labId: string) {
  if (!z.string().uuid().safeParse(labId).success) throw notFound();
  const db = await getDb();
  const [lab] = await db.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.id, labId)).limit(1);
  if (!lab) throw notFound();
  return requirePermission(request, "manage:instruments:lab", { labId, labOrganizationId: lab.organizationId });
}

/** Lab staff of any lab or an institution admin: the "my labs" dashboard lists what they run. */
export function requireLabManager(request: Request) {
  return requirePermission(request, "manage:instruments:lab");
}

/**
 * Any signed-in member who may book on behalf of their organisation. A refusal carries its reason,
 * so the error page can say what to do instead of only "forbidden".
 */
export async function requireCustomer(request: Request) {
  const viewer = await requireUser(request);
  const refusal = bookingRefusal(viewer);
  if (refusal) throw data({ refusal }, { status: 403 });
  return viewer;
}

/** The letter of a provider application: its applicant or a platform admin; unknown ids are 404. */
/** Lab staff of the lab an instrument belongs to (its manage pages); an unknown instrument is 404. */
export async function requireInstrumentStaff(request: Request, instrumentId: string | undefined) {
  const id = z.string().uuid().safeParse(instrumentId);
  const db = await getDb();
  const [row] = id.success ? await db.select({ labId: instruments.labId }).from(instruments).where(eq(instruments.id, id.data)).limit(1) : [];
  if (!row) throw notFound();
  const viewer = await requireLabStaff(request, row.labId);
  return { id: id.data!, viewer };
}

export async function requireApplicationLetterReader(request: Request, applicationId: string) {
  if (!z.string().uuid().safeParse(applicationId).success) throw notFound();
  const db = await getDb();
  const [application] = await db
    .select({ applicantUserId: providerApplications.applicantUserId })
    .from(providerApplications)
    .where(eq(providerApplications.id, applicationId))
    .limit(1);
  if (!application) throw notFound();
  return requirePermission(request, "view:letter:application", { applicantUserId: application.applicantUserId });
}

/**
 * A sample job's report: members of the customer organisation, the lab's staff and its
 * institution's admins; unknown ids are 404. `forLab` tells whether the viewer reads as the lab
 * (who may see a report before it is issued).
 */
export async function requireSampleReportReader(request: Request, bookingId: string) {
  if (!z.string().uuid().safeParse(bookingId).success) throw notFound();
  const db = await getDb();
  const [job] = await db
    .select({ organizationId: bookings.organizationId, labId: labs.id, labOrganizationId: labs.organizationId })
    .from(sampleJobs)
    .innerJoin(bookings, eq(bookings.id, sampleJobs.bookingId))
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(sampleJobs.bookingId, bookingId))
    .limit(1);
  if (!job) throw notFound();
  const viewer = await requirePermission(request, "download:report:booking", job);
  const forLab = can(viewer, "manage:instruments:lab", { labId: job.labId, labOrganizationId: job.labOrganizationId });
  return { viewer, forLab };
}

/** Voucher programmes are defined by platform admins. */
export function requireVoucherAdmin(request: Request) {
  return requirePermission(request, "manage:vouchers:platform");
}

/** The administrator of a company holding vouchers; the company is their org-admin organisation. */
export async function requireVoucherHolder(request: Request) {
  const viewer = await requireUser(request);
  const organizationId = viewer.memberships.find((m) => m.role === "org_admin")?.organizationId;
  if (!organizationId || !can(viewer, "apply:voucher:organization", { organizationId })) throw forbidden();
  return { viewer, organizationId };
}

/** The administrator of a voucher-issuing government body; unknown ids are 404. */
export async function requireVoucherIssuer(request: Request, organizationId: string) {
  if (!z.string().uuid().safeParse(organizationId).success) throw notFound();
  return requirePermission(request, "decide:voucher:issuer", { organizationId });
}

/** The charges of the viewer's customer organisations (as customer or org admin); returns those organisations. */
export async function requireChargeHolder(request: Request) {
  const viewer = await requirePermission(request, "view:charges:organization");
  const organizationIds = [...new Set(viewer.memberships.filter((m) => m.role === "customer" || m.role === "org_admin").map((m) => m.organizationId))];
  return { viewer, organizationIds };
}

/** A provider institution's finance: charges owed, transfers received, refunds, deposits, fapiao; unknown ids are 404. */
export async function requireInstitutionFinance(request: Request, organizationId: string) {
  if (!z.string().uuid().safeParse(organizationId).success) throw notFound();
  return requirePermission(request, "manage:finance:institution", { organizationId });
}

/**
 * Stripe's webhook: no session and no CSRF token, the signature over the raw body is the only
 * credential. Anything unsigned or signed otherwise is 400 before it is read further.
 */
export async function requireStripeEvent(request: Request) {
  const event = verifyStripeEvent(await request.text(), request.headers.get("stripe-signature"));
  if (!event) throw new Response("Bad signature", { status: 400 });
  return event;
}

/**
 * Utilisation reports: platform admins see everything, institution admins their institution,
 * lab staff their own labs; anyone else is refused. Returns what the viewer may see.
 */
export async function requireReportViewer(request: Request) {
  const viewer = await requireUser(request);
  if (viewer.isPlatformAdmin) return { viewer, scope: { kind: "platform" as const } };
  const institution = viewer.memberships.find((m) => m.role === "institution_admin");
  if (institution) return { viewer, scope: { kind: "institution" as const, organizationId: institution.organizationId } };
  const labIds = viewer.memberships.filter((m) => m.role === "lab_staff" && m.labId).map((m) => m.labId!);
  if (labIds.length) return { viewer, scope: { kind: "labs" as const, labIds } };
  throw forbidden();
}

/** Whether an instrument of this lab and institution lies within a report viewer's scope. */
function inReportScope(scope: Awaited<ReturnType<typeof requireReportViewer>>["scope"], owner: { labId: string; organizationId: string }) {
  if (scope.kind === "platform") return true;
  if (scope.kind === "institution") return scope.organizationId === owner.organizationId;
  return scope.labIds.includes(owner.labId);
}

/**
 * Drilling down to one instrument or one booking of the reports: the viewer's scope must hold its
 * instrument (403 otherwise); unknown ids are 404.
 */
export async function requireReportDrilldown(request: Request, target: { instrumentId: string } | { bookingId: string }) {
  const reader = await requireReportViewer(request);
  const id = "instrumentId" in target ? target.instrumentId : target.bookingId;
  if (!z.string().uuid().safeParse(id).success) throw notFound();
  const owner = "instrumentId" in target ? await instrumentOwner(target.instrumentId) : await bookingOwner(target.bookingId);
  if (!owner) throw notFound();
  if (!inReportScope(reader.scope, owner)) throw forbidden();
  return reader;
}

/**
 * An institution's annual sharing-evaluation report: platform admins read every institution's,
 * its institution admins read and fill in their own; anyone else is refused, unknown ids are 404.
 */
export async function requireAnnualReport(request: Request, organizationId: string) {
  const viewer = await requireUser(request);
  if (!z.string().uuid().safeParse(organizationId).success) throw notFound();
  const db = await getDb();
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId)).limit(1);
  if (!org) throw notFound();
  const canEdit = can(viewer, "manage:labs:institution", { organizationId });
  if (!canEdit && !viewer.isPlatformAdmin) throw forbidden();
  return { viewer, canEdit };
}

/**
 * Checking a booking in through its QR code: lab staff of the booking's lab (or its institution
 * admin), or the booking's own customer (the time window is the command's business). Anyone
 * else, and unknown ids, get 404 so a scanned code reveals nothing.
 */
export async function requireBookingCheckIn(request: Request, bookingId: string) {
  const viewer = await requireUser(request);
  if (!z.string().uuid().safeParse(bookingId).success) throw notFound();
  const db = await getDb();
  const [booking] = await db
    .select({ userId: bookings.userId, labId: instruments.labId, labOrganizationId: labs.organizationId })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .innerJoin(labs, eq(labs.id, instruments.labId))
    .where(eq(bookings.id, bookingId))
    .limit(1);
  if (!booking) throw notFound();
  if (can(viewer, "manage:instruments:lab", { labId: booking.labId, labOrganizationId: booking.labOrganizationId }))
    return { viewer, as: "staff" as const };
  if (booking.userId === viewer.id) return { viewer, as: "customer" as const };
  throw notFound();
}

/**
 * The quarterly national-platform files: platform admins for everything or one institution they
 * pick, institution admins for their own institution only; another institution is 403, a
 * malformed id 404.
 */
export async function requireNationalReporter(request: Request, organizationId: string | null) {
  const viewer = await requireUser(request);
  if (organizationId !== null && !z.string().uuid().safeParse(organizationId).success) throw notFound();
  if (viewer.isPlatformAdmin) {
    return { viewer, scope: organizationId ? { kind: "institution" as const, organizationId } : { kind: "platform" as const } };
  }
  const own = viewer.memberships.find((m) => m.role === "institution_admin")?.organizationId;
  if (!own || (organizationId !== null && organizationId !== own)) throw forbidden();
  return { viewer, scope: { kind: "institution" as const, organizationId: own } };
}

/** Complaints of the viewer's customer organisations (as customer or org admin); returns those organisations. */
export async function requireComplainant(request: Request) {
  const viewer = await requirePermission(request, "file:complaint:organization");
  const organizationIds = [...new Set(viewer.memberships.filter((m) => m.role === "customer" || m.role === "org_admin").map((m) => m.organizationId))];
  return { viewer, organizationIds };
}

/**
 * One complaint: the complaining organisation's members, the lab's staff (and its institution's
 * admins) and platform admins, each with their own controls. Anyone else, and unknown ids, get 404.
 */
export async function requireComplaintReader(request: Request, complaintId: string) {
  const viewer = await requireUser(request);
  const owners = await complaintOwners(complaintId);
  if (!owners) throw notFound();
  const asCustomer = can(viewer, "file:complaint:organization", { organizationId: owners.organizationId });
  const asLab = can(viewer, "manage:instruments:lab", { labId: owners.labId, labOrganizationId: owners.labOrganizationId });
  const asAdmin = can(viewer, "resolve:complaint:platform");
  if (!asCustomer && !asLab && !asAdmin) throw notFound();
  return { viewer, asCustomer, asLab, asAdmin };
}
