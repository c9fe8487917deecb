/**
 * The authorization matrix: every route module in app/routes (keyed by its file name without the
 * extension; a folder route by its folder name) with one sample request and the answer expected
 * for each role. tests/unit/route-matrix.test.ts fails when a route has no entry;
 * tests/e2e/authz-matrix.test.ts requests every sample as every demo role.
 *
 * Outcomes: "ok" = 2xx, "redirect" = 3xx (e.g. to /login), "badRequest" = 400 (the route ran and
 * rejected the sample input, e.g. an unknown token), "forbidden" = 403, "notFound" = 404.
 * Seeded slugs are deterministic and may be written into `path`; ids are random, so an entry whose
 * URL needs one gives `resolve`, which finds it through the app's own pages.
 */
/**
 * `other_tenant` is lab staff of another institution (ICCAS NMR lab): a member of another tenant,
 * who must not reach the ZJU lab's or the Weina company's objects.
 */
export const roles = ["anonymous", "customer", "org_admin", "lab_staff", "institution_admin", "platform_admin", "other_tenant"] as const;
export type Role = (typeof roles)[number];
export type SignedInRole = Exclude<Role, "anonymous">;
export type Outcome = "ok" | "redirect" | "badRequest" | "forbidden" | "notFound";

export const DEMO_PASSWORD = "OpenLab-demo-2026";
/** The seeded demo users (db/seed), one per role. */
export const demoLogins: Record<SignedInRole, string> = {
  customer: "customer@weina.openlab.test",
  org_admin: "orgadmin@weina.openlab.test",
  lab_staff: "staff@zju.openlab.test",
  institution_admin: "inst-admin@zju.openlab.test",
  platform_admin: "admin@openlab.test",
  other_tenant: "staff@iccas.openlab.test",
};

export interface ResolveContext {
  /** The body of a GET as that role (the app's answer must be 2xx). */
  html(role: Role, path: string): Promise<string>;
  /** A form POST as that role, with the CSRF token taken from `csrfFrom` (default: `path`). */
  post(role: Role, path: string, fields: Record<string, string>, csrfFrom?: string): Promise<Response>;
}

export interface RouteEntry {
  /** The URL to request; or `resolve` when it needs a runtime id. */
  path?: string;
  resolve?: (ctx: ResolveContext) => Promise<string>;
  /** GET by default; a POST is sent as a form with the role's CSRF token. */
  method?: "GET" | "POST";
  form?: Record<string, string>;
  expect: Expectations;
}

/**
 * Expected outcomes per role. `other_tenant` may be left out: it then expects what a customer
 * gets, except on pages of the demo lab (its staff get in, customers don't), where it is refused.
 */
export type Expectations = Record<Exclude<Role, "other_tenant">, Outcome> & { other_tenant?: Outcome };

export function expected(entry: RouteEntry, role: Role): Outcome {
  if (role !== "other_tenant") return entry.expect[role];
  if (entry.expect.other_tenant) return entry.expect.other_tenant;
  return entry.expect.lab_staff === "ok" && entry.expect.customer !== "ok" ? "forbidden" : entry.expect.customer;
}

const all = (outcome: Outcome): Expectations => ({
  anonymous: outcome,
  customer: outcome,
  org_admin: outcome,
  lab_staff: outcome,
  institution_admin: outcome,
  platform_admin: outcome,
});
/** Pages for visitors only: a signed-in user is sent away. */
const anonymousOnly: Expectations = { ...all("redirect"), anonymous: "ok" };
/** Pages for any signed-in user: a visitor is sent to /login. */
const signedIn: Expectations = { ...all("ok"), anonymous: "redirect" };
const platformAdminOnly: Expectations = { ...all("forbidden"), anonymous: "redirect", platform_admin: "ok" };

/** Retries `find` until it returns a value (mail is written by a background job). */
export async function eventually<T>(find: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The first link on the page at `page` (as `role`) whose path matches `pattern`. */
async function firstLink(ctx: ResolveContext, role: Role, page: string, pattern: RegExp): Promise<string> {
  const html = await ctx.html(role, page);
  const found = html.match(new RegExp(`href="(${pattern.source})"`))?.[1];
  if (!found) throw new Error(`no link matching ${pattern} on ${page}`);
  return found.replace(/&amp;/g, "&");
}

/** Lab staff of the demo lab and the admin of its institution; nobody else. */
const labManagers: Expectations = { ...all("forbidden"), anonymous: "redirect", lab_staff: "ok", institution_admin: "ok" };

/** The most used instrument of the demo lab staff's labs this year, from their dashboard. */
const demoReportInstrument = (ctx: ResolveContext) =>
  firstLink(ctx, "lab_staff", "/reports?period=year&year=2026&sort=effective&dir=desc", /\/reports\/instruments\/[0-9a-f-]{36}[^"]*/);

/**
 * A booking on the drill-down of the first of those instruments that has one: right after start the
 * summaries may not be built yet, so the dashboard's order says nothing about which were used.
 */
async function demoReportBooking(ctx: ResolveContext): Promise<string> {
  const dashboard = await ctx.html("lab_staff", "/reports?period=year&year=2026&sort=effective&dir=desc");
  for (const [, page] of dashboard.matchAll(/href="(\/reports\/instruments\/[0-9a-f-]{36}[^"]*)"/g)) {
    const found = (await ctx.html("lab_staff", page!.replace(/&amp;/g, "&"))).match(/href="(\/reports\/bookings\/[0-9a-f-]{36})"/)?.[1];
    if (found) return found;
  }
  throw new Error("no booking link on any instrument's drill-down");
}

/** The demo institution's annual report, linked from its admin's dashboard. */
const demoAnnualReport = (ctx: ResolveContext) =>
  firstLink(ctx, "institution_admin", "/reports?period=year&year=2026", /\/reports\/annual\/[0-9a-f-]{36}\/\d{4}/);

/** The demo lab staff's lab, found through their "my labs" page. */
const demoLabPage = (ctx: ResolveContext) => firstLink(ctx, "lab_staff", "/manage", /\/manage\/labs\/[0-9a-f-]{36}/);

/** The first instrument of that lab's table. */
const demoInstrumentEditPage = async (ctx: ResolveContext) =>
  firstLink(ctx, "lab_staff", await demoLabPage(ctx), /\/manage\/instruments\/[0-9a-f-]{36}/);

/** The demo institution admin's institution, linked from their account menu. */
const institutionAdminOnly: Expectations = { ...all("forbidden"), anonymous: "redirect", institution_admin: "ok" };
const demoInstitutionPage = (ctx: ResolveContext) =>
  firstLink(ctx, "institution_admin", "/account", /\/manage\/institutions\/[0-9a-f-]{36}/);

/** An id no row has. */
const NOBODY = "00000000-0000-4000-8000-000000000000";

export const routeMatrix: Record<string, RouteEntry> = {
  _index: { path: "/", expect: all("ok") },
  $: { path: "/no-such-page-e2e", expect: all("notFound") },
  healthz: { path: "/healthz", expect: all("ok") },
  "set-language": { path: "/set-language", expect: all("redirect") },

  // Catalogue: public.
  "instruments._index": { path: "/instruments?q=%E7%94%B5%E9%95%9C", expect: all("ok") },
  "instruments.$slug": { resolve: (ctx) => firstLink(ctx, "anonymous", "/", /\/instruments\/[^"?/]+/), expect: all("ok") },
  "institutions._index": { path: "/institutions", expect: all("ok") },
  "institutions.$slug": { resolve: (ctx) => firstLink(ctx, "anonymous", "/", /\/institutions\/[^"?/]+/), expect: all("ok") },
  "labs.$slug": {
    resolve: async (ctx) => firstLink(ctx, "anonymous", await firstLink(ctx, "anonymous", "/", /\/institutions\/[^"?/]+/), /\/labs\/[^"?/]+/),
    expect: all("ok"),
  },

  // Booking, customer side: only members of a customer organisation book (the sample slot is
  // garbage, so they get 400); "my bookings" is any signed-in user's; a random booking id is 404.
  "instruments.$slug_.book": {
    path: "/instruments/jem-2100f-zju-emlab/book?start=not-a-date&end=2026-13-01",
    expect: { ...all("forbidden"), anonymous: "redirect", customer: "badRequest", org_admin: "badRequest", other_tenant: "forbidden" },
  },
  // Fee schedules are public, like the catalogue pages they belong to.
  "instruments.$slug_.fees": { path: "/instruments/jem-2100f-zju-emlab/fees", expect: all("ok") },
  "labs.$slug_.fees": { path: "/labs/zju-emlab/fees", expect: all("ok") },
  "instruments.$slug_.busy[.]ics": { path: "/instruments/jem-2100f-zju-emlab/busy.ics", expect: all("ok") },
  // A private feed answers only to its secret token; an unknown one is 404 for everyone.
  "calendar.$token.openlab[.]ics": { path: "/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/openlab.ics", expect: all("notFound") },
  "calendar-feeds": { path: "/calendar-feeds", expect: all("redirect") },
  "waitlist": { path: "/waitlist", expect: signedIn },
  "bookings._index": { path: "/bookings?status=requested", expect: signedIn },
  "bookings.$id_.invite[.]ics": { path: "/bookings/6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c/invite.ics", expect: { ...all("notFound"), anonymous: "redirect" } },
  // Check-in through the QR code: only the lab's staff and the booking's customer; any other id is 404.
  "bookings.$id_.check-in": { path: "/bookings/6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c/check-in", expect: { ...all("notFound"), anonymous: "redirect" } },
  "bookings.$id": { path: "/bookings/6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c", expect: { ...all("notFound"), anonymous: "redirect" } },
  // Sample jobs: the request form is for customers, on an instrument that takes samples; a random
  // job id is 404 for everyone (who may read a real report: tests/integration/sample-jobs.test.ts).
  "instruments.$slug_.samples": {
    path: "/instruments/su8010-zju-emlab/samples",
    expect: { ...all("forbidden"), anonymous: "redirect", customer: "ok", org_admin: "ok", other_tenant: "forbidden" },
  },
  "bookings.$id_.report": { path: "/bookings/6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c/report", expect: all("notFound") },

  // Catalogue: lab staff and institution admins manage instruments (ZJU demo lab); platform admins moderate.
  "manage._index": { path: "/manage", expect: { ...labManagers, other_tenant: "ok" } },
  "manage.labs.$labId._index": { resolve: demoLabPage, expect: labManagers },
  "manage.labs.$labId.bookings": { resolve: async (ctx) => `${await demoLabPage(ctx)}/bookings`, expect: labManagers },
  "manage.labs.$labId.samples.$bookingId": {
    resolve: async (ctx) => `${await demoLabPage(ctx)}/samples/6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c`,
    expect: { ...labManagers, lab_staff: "notFound", institution_admin: "notFound" },
  },
  // Check-out needs a booking in use; a random id answers 404 to the lab's managers.
  "manage.labs.$labId.bookings_.$bookingId.check-out": {
    resolve: async (ctx) => `${await demoLabPage(ctx)}/bookings/6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c/check-out`,
    expect: { ...labManagers, lab_staff: "notFound", institution_admin: "notFound" },
  },
  "manage.labs.$labId.instruments.new": { resolve: async (ctx) => `${await demoLabPage(ctx)}/instruments/new`, expect: labManagers },
  "manage.instruments.$id._index": { resolve: demoInstrumentEditPage, expect: labManagers },
  "manage.instruments.$id.photos": { resolve: async (ctx) => `${await demoInstrumentEditPage(ctx)}/photos`, expect: labManagers },
  "manage.instruments.$id.hours": { resolve: async (ctx) => `${await demoInstrumentEditPage(ctx)}/hours`, expect: labManagers },
  "manage.instruments.$id.rates": { resolve: async (ctx) => `${await demoInstrumentEditPage(ctx)}/rates`, expect: labManagers },
  "manage.instruments.$id.training": { resolve: async (ctx) => `${await demoInstrumentEditPage(ctx)}/training`, expect: labManagers },
  "uploads.$": { path: "/uploads/instruments/00000000-0000-4000-8000-000000000000/00000000-0000-4000-8000-000000000000.webp", expect: all("notFound") },
  "admin.instruments": { path: "/admin/instruments?status=published", expect: platformAdminOnly },

  // Provider onboarding: applications (any signed-in user), their review (platform admins), the
  // institution admin's institution and lab pages (ZJU demo institution), lab invitations.
  apply: { path: "/apply", expect: signedIn },
  // Unknown ids are 404 before anything else; the real letter's readers are tested in tests/integration/onboarding.test.ts.
  "apply.letter.$id": { path: "/apply/letter/00000000-0000-4000-8000-000000000000", expect: all("notFound") },
  "admin.applications._index": { path: "/admin/applications?status=submitted", expect: platformAdminOnly },
  "admin.applications.$id": {
    path: "/admin/applications/00000000-0000-4000-8000-000000000000",
    expect: { ...platformAdminOnly, platform_admin: "notFound" },
  },
  "manage.institutions.$orgId._index": { resolve: demoInstitutionPage, expect: institutionAdminOnly },
  "manage.institutions.$orgId.labs.$labId": {
    resolve: async (ctx) => firstLink(ctx, "institution_admin", await demoInstitutionPage(ctx), /\/manage\/institutions\/[0-9a-f-]{36}\/labs\/[0-9a-f-]{36}/),
    expect: institutionAdminOnly,
  },
  "invitations.$token": { path: "/invitations/not-a-real-token", expect: all("badRequest") },

  // Instrument import and export (the template and exports answer with files).
  "manage.labs.$labId.import": { resolve: async (ctx) => `${await demoLabPage(ctx)}/import`, expect: labManagers },
  "manage.labs.$labId.template": { resolve: async (ctx) => `${await demoLabPage(ctx)}/template?format=csv`, expect: labManagers },
  "manage.labs.$labId.export": { resolve: async (ctx) => `${await demoLabPage(ctx)}/export?format=csv`, expect: labManagers },
  "manage.institutions.$orgId.export": {
    resolve: async (ctx) => `${await demoInstitutionPage(ctx)}/export?format=national-json`,
    expect: institutionAdminOnly,
  },

  // Trust: the audit log of an institution (its admins) and of the platform (platform admins), with CSV.
  "manage.institutions.$orgId.audit": { resolve: async (ctx) => `${await demoInstitutionPage(ctx)}/audit?action=instrument.update`, expect: institutionAdminOnly },
  "manage.institutions.$orgId.audit[.]csv": { resolve: async (ctx) => `${await demoInstitutionPage(ctx)}/audit.csv?from=2026-01-01`, expect: institutionAdminOnly },
  "admin.audit": { path: "/admin/audit?entityType=instrument", expect: platformAdminOnly },
  "admin.audit[.]csv": { path: "/admin/audit.csv?action=booking", expect: platformAdminOnly },
  // Accreditations: the lab's managers keep them (lab and instrument pages); certificates are public
  // documents (an unknown id is 404; a real one is downloaded in tests/integration/accreditations.test.ts).
  "manage.labs.$labId.accreditations": { resolve: async (ctx) => `${await demoLabPage(ctx)}/accreditations`, expect: labManagers },
  "manage.instruments.$id.accreditations": { resolve: async (ctx) => `${await demoInstrumentEditPage(ctx)}/accreditations`, expect: labManagers },
  "accreditations.$id.certificate[.]pdf": { path: `/accreditations/${NOBODY}/certificate.pdf`, expect: all("notFound") },
  // Verified organisations: an organisation's admins ask (the Weina company's page, linked from its
  // admin's account page); platform admins decide and open the licence scans.
  "organizations.$orgId.verification": {
    resolve: (ctx) => firstLink(ctx, "org_admin", "/account", /\/organizations\/[0-9a-f-]{36}\/verification/),
    expect: { ...all("forbidden"), anonymous: "redirect", org_admin: "ok" },
  },
  // Members of a customer organisation: its admins (linked from their account page) invite and remove them.
  "organizations.$orgId.members": {
    resolve: (ctx) => firstLink(ctx, "org_admin", "/account", /\/organizations\/[0-9a-f-]{36}\/members/),
    expect: { ...all("forbidden"), anonymous: "redirect", org_admin: "ok" },
  },
  "admin.verifications._index": { path: "/admin/verifications", expect: platformAdminOnly },
  "admin.verifications.$id.licence": { path: `/admin/verifications/${NOBODY}/licence`, expect: { ...platformAdminOnly, platform_admin: "notFound" } },
  // Credit records: one's own (any signed-in user); thresholds and blocks (platform admins).
  credit: { path: "/credit", expect: signedIn },
  "admin.credit": { path: "/admin/credit", expect: platformAdminOnly },
  // Reviews: the lab answers its own (lab managers); platform admins moderate all of them.
  "manage.labs.$labId.reviews": { resolve: async (ctx) => `${await demoLabPage(ctx)}/reviews`, expect: labManagers },
  "admin.reviews": { path: "/admin/reviews", expect: platformAdminOnly },
  // Complaints: a customer organisation's members list and file theirs (a lab is a subject anyone
  // of them may pick; another company's booking is 404); one complaint and its evidence answer
  // only to its parties (a random id is 404); the lab's managers see theirs; platform admins all.
  "complaints._index": { path: "/complaints", expect: { ...all("forbidden"), anonymous: "redirect", customer: "ok", org_admin: "ok", other_tenant: "forbidden" } },
  "complaints.new": {
    path: "/complaints/new?booking=6f1c2b3a-9d4e-4f5a-8b7c-0d1e2f3a4b5c",
    expect: { ...all("forbidden"), anonymous: "redirect", customer: "notFound", org_admin: "notFound", other_tenant: "forbidden" },
  },
  "complaints.$id": { path: `/complaints/${NOBODY}`, expect: { ...all("notFound"), anonymous: "redirect" } },
  "complaints.$id_.attachments.$attachmentId": { path: `/complaints/${NOBODY}/attachments/${NOBODY}`, expect: { ...all("notFound"), anonymous: "redirect" } },
  "manage.labs.$labId.complaints": { resolve: async (ctx) => `${await demoLabPage(ctx)}/complaints`, expect: labManagers },
  "admin.complaints": { path: "/admin/complaints?status=unresolved&order=oldest", expect: platformAdminOnly },

  // Innovation vouchers: platform admins define programmes; a company's org admin holds grants;
  // the issuer's admin (not a matrix role) decides them, so every matrix role is refused there.
  "admin.vouchers": { path: "/admin/vouchers", expect: platformAdminOnly },
  vouchers: { path: "/vouchers", expect: { ...all("forbidden"), anonymous: "redirect", org_admin: "ok" } },
  "issuer.$orgId._index": { path: `/issuer/${NOBODY}`, expect: { ...all("forbidden"), anonymous: "redirect" } },
  "issuer.$orgId.claims.$programmeId._index": { path: `/issuer/${NOBODY}/claims/${NOBODY}`, expect: { ...all("forbidden"), anonymous: "redirect" } },
  // Stripe's webhook: no session counts, only a signature; a form post of anyone is refused.
  "stripe.webhook": { path: "/stripe/webhook", method: "POST", form: { id: "evt_forged" }, expect: all("badRequest") },
  "issuer.$orgId.claims.$programmeId.export": {
    path: `/issuer/${NOBODY}/claims/${NOBODY}/export?format=csv`,
    expect: { ...all("forbidden"), anonymous: "redirect" },
  },

  // Charges and payments: a customer organisation's members (customer, org admin) read its charges;
  // the provider institution's admin runs its finance. Unknown charge ids are 404 to the former.
  "charges._index": { path: "/charges", expect: { ...all("forbidden"), anonymous: "redirect", customer: "ok", org_admin: "ok", other_tenant: "forbidden" } },
  "charges.$id": { path: `/charges/${NOBODY}`, expect: { ...all("forbidden"), anonymous: "redirect", customer: "notFound", org_admin: "notFound", other_tenant: "forbidden" } },
  "charges.statement": { path: "/charges/statement?month=2026-03", expect: { ...all("forbidden"), anonymous: "redirect", customer: "ok", org_admin: "ok", other_tenant: "forbidden" } },
  "manage.institutions.$orgId.finance": { resolve: async (ctx) => `${await demoInstitutionPage(ctx)}/finance`, expect: institutionAdminOnly },
  "manage.institutions.$orgId.statement": { resolve: async (ctx) => `${await demoInstitutionPage(ctx)}/statement?month=2026-03`, expect: institutionAdminOnly },

  // Accounts.
  signup: { path: "/signup", expect: anonymousOnly },
  login: { path: "/login", expect: anonymousOnly },
  logout: { path: "/logout", expect: all("redirect") },
  "forgot-password": { path: "/forgot-password", expect: anonymousOnly },
  "reset-password": { path: "/reset-password?token=not-a-real-token", expect: all("badRequest") },
  "verify-email": { path: "/verify-email?token=not-a-real-token", expect: all("badRequest") },
  "confirm-email": { path: "/confirm-email?token=not-a-real-token", expect: all("badRequest") },
  account: { path: "/account", expect: signedIn },
  "admin.outbox": { path: "/admin/outbox", expect: platformAdminOnly },
  "admin.outbox.$id": {
    // A password-reset request puts a message into the outbox (through a job).
    resolve: async (ctx) => {
      const sent = await ctx.post("anonymous", "/forgot-password", { email: demoLogins.customer });
      if (sent.status >= 400) throw new Error(`POST /forgot-password answered ${sent.status}`);
      return eventually(async () => {
        const html = await ctx.html("platform_admin", "/admin/outbox");
        return html.match(/href="(\/admin\/outbox\/[0-9a-f-]{36})"/)?.[1];
      }, "a message in the outbox");
    },
    expect: platformAdminOnly,
  },
  // Utilisation reports: each reader sees their own scope (platform, institution, labs).
  "reports._index": { path: "/reports?period=year&year=2026", expect: { ...labManagers, platform_admin: "ok", other_tenant: "ok" } },
  "reports.export": { path: "/reports/export?period=year&year=2026&format=csv", expect: { ...labManagers, platform_admin: "ok", other_tenant: "ok" } },
  // Quarterly national-platform records: institution admins (their own) and platform admins only.
  "reports.national._index": { path: "/reports/national?quarter=2026-Q1", expect: { ...institutionAdminOnly, platform_admin: "ok" } },
  "reports.national.$file": { path: "/reports/national/2026-Q1.json", expect: { ...institutionAdminOnly, platform_admin: "ok" } },
  // Public statistics: anyone.
  stats: { path: "/stats?year=2026", expect: all("ok") },
  "stats[.]json": { path: "/stats.json?year=2026", expect: all("ok") },
  // Drill-down: an instrument of the demo lab (from its staff's dashboard) and one of its bookings
  // (the seed gives demo instruments a year of usage); another institution's staff are refused.
  "reports.instruments.$id": { resolve: demoReportInstrument, expect: { ...labManagers, platform_admin: "ok" } },
  "reports.bookings.$id": {
    resolve: demoReportBooking,
    expect: { ...labManagers, platform_admin: "ok" },
  },
  // The annual sharing-evaluation report of the demo institution: its admins and platform admins.
  "reports.annual.$orgId.$year": { resolve: demoAnnualReport, expect: { ...all("forbidden"), anonymous: "redirect", institution_admin: "ok", platform_admin: "ok" } },
  "reports.annual.$orgId.$year[.]xlsx": {
    resolve: async (ctx) => `${await demoAnnualReport(ctx)}.xlsx`,
    expect: { ...all("forbidden"), anonymous: "redirect", institution_admin: "ok", platform_admin: "ok" },
  },
};
