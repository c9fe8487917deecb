import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, labs, memberships, users } from "../../db/schema";
import { requestSlot } from "../../app/booking/bookings.server";
import { reject } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import * as adminInstrumentsRoute from "../../app/routes/admin.instruments";
import * as adminAuditRoute from "../../app/routes/admin.audit";
import * as hoursRoute from "../../app/routes/manage.instruments.$id.hours";
import * as editRoute from "../../app/routes/manage.instruments.$id._index";
import * as auditRoute from "../../app/routes/manage.institutions.$orgId.audit";
import * as auditCsvRoute from "../../app/routes/manage.institutions.$orgId.audit[.]csv";
import { at, bookableInstrument, demoCustomer } from "../support/booking";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest } from "../support/requests";

let d: Database;
const ids = {} as Record<"staff" | "instAdmin" | "platformAdmin" | "zju" | "iccas", string>;
const IP = { "x-forwarded-for": "203.0.113.7" };

async function userId(email: string) {
  const [u] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u!.id;
}

beforeAll(async () => {
  d = await useTestDatabase();
  const [zju] = await d.db.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.slug, "zju-emlab"));
  const [iccas] = await d.db.select({ organizationId: labs.organizationId }).from(labs).where(eq(labs.slug, "iccas-nmr"));
  Object.assign(ids, {
    staff: await userId("staff@zju.openlab.test"),
    instAdmin: await userId("inst-admin@zju.openlab.test"),
    platformAdmin: await userId("admin@openlab.test"),
    zju: zju!.organizationId,
    iccas: iccas!.organizationId,
  });
});

/** The database's own message for a refused statement (drizzle wraps it as the cause). */
async function refusal(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    const e = error as { message: string; cause?: { message: string } };
    return e.cause?.message ?? e.message;
  }
  return "not refused";
}

const entriesOf = (entityId: string) => d.db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.at);

/** The instrument's record as the edit form sends it back, with `over` changed. */
async function formOf(id: string, over: Record<string, string>) {
  const page = await callRoute(editRoute.loader, await getRequest(`/manage/instruments/${id}`, { userId: ids.staff }), { id });
  const i = page.data.instrument;
  return {
    intent: "save",
    nameZh: i.nameZh,
    nameEn: i.nameEn,
    model: i.model || "M-1",
    manufacturer: i.manufacturer || "JEOL",
    countryOfOrigin: i.countryOfOrigin || "日本",
    categoryCode: i.categoryCode,
    originalValue: "100000.00",
    purchaseDate: "",
    commissioningDate: "",
    fundingSource: "",
    specifications: "",
    mainFunctions: "",
    serviceContent: "",
    sampleRequirements: "",
    serviceModes: "staff_operated",
    feeText: "校外 600 元/小时",
    operatingStatus: "normal",
    shareMode: "external",
    ...over,
  };
}

describe("the audit log", () => {
  it("is append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    const entityId = `probe-${unique()}`;
    await d.db.insert(auditLog).values({ actorUserId: null, organizationId: ids.zju, action: "setting.update", entityType: "setting", entityId });
    expect(await refusal(d.db.update(auditLog).set({ action: "tampered" }).where(eq(auditLog.entityId, entityId)))).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(d.db.delete(auditLog).where(eq(auditLog.entityId, entityId)))).toMatch(/append-only: DELETE refused/);
    expect(await refusal(d.db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE refused/);
    expect(await entriesOf(entityId)).toMatchObject([{ action: "setting.update" }]);
  });

  it("records an instrument edit with actor, institution, the changed fields only, and the client's IP", async () => {
    const id = await bookableInstrument(d, { status: "draft" });
    const first = await callRoute(editRoute.action, await formRequest(`/manage/instruments/${id}`, await formOf(id, {}), { userId: ids.staff, headers: IP }), { id });
    expect(first.status).toBe(302);
    const answer = await callRoute(
      editRoute.action,
      await formRequest(`/manage/instruments/${id}`, await formOf(id, { feeText: "校外 800 元/小时" }), { userId: ids.staff, headers: IP }),
      { id },
    );
    expect(answer.status).toBe(302);
    const entries = (await entriesOf(id)).filter((e) => e.action === "instrument.update");
    const last = entries.at(-1)!;
    expect(last).toMatchObject({
      actorUserId: ids.staff,
      organizationId: ids.zju,
      entityType: "instrument",
      before: { feeText: "校外 600 元/小时" },
      after: { feeText: "校外 800 元/小时" },
      ip: "203.0.113.7",
    });

    // A refused edit changes nothing and writes nothing.
    const count = (await entriesOf(id)).length;
    const bad = await callRoute(editRoute.action, await formRequest(`/manage/instruments/${id}`, await formOf(id, { nameZh: "" }), { userId: ids.staff }), { id });
    expect(bad.status).toBe(400);
    expect((await entriesOf(id)).length).toBe(count);
  });

  it("records publishing by the lab and a suspension by a platform admin with its reason", async () => {
    const id = await bookableInstrument(d, { status: "draft" });
    expect((await callRoute(editRoute.action, await formRequest(`/manage/instruments/${id}`, { intent: "publish" }, { userId: ids.staff }), { id })).status).toBe(302);
    const suspended = await callRoute(
      adminInstrumentsRoute.action,
      await formRequest("/admin/instruments", { intent: "suspend", id, reason: "虚假信息" }, { userId: ids.platformAdmin, headers: IP }),
    );
    expect(suspended.status).toBe(302);
    expect((await entriesOf(id)).map((e) => [e.action, e.actorUserId, e.organizationId])).toEqual([
      ["instrument.publish", ids.staff, ids.zju],
      ["instrument.suspend", ids.platformAdmin, ids.zju],
    ]);
    expect((await entriesOf(id))[1]).toMatchObject({ before: { status: "published" }, after: { status: "suspended", suspensionReason: "虚假信息" } });
  });

  it("records booking settings and opening hours changes", async () => {
    const id = await bookableInstrument(d);
    const settings = await callRoute(
      hoursRoute.action,
      await formRequest(
        `/manage/instruments/${id}/hours`,
        { intent: "settings", slotMinutes: "30", minNoticeMinutes: "1440", maxAdvanceDays: "60", minLengthMinutes: "60", maxLengthMinutes: "480", bufferMinutes: "15", approvalMode: "always", requestExpiryHours: "48", weeklyQuotaHours: "", observeChineseHolidays: "on" },
        { userId: ids.staff },
      ),
      { id },
    );
    expect(settings.status, JSON.stringify(settings.data)).toBe(302);
    const [entry] = (await entriesOf(id)).filter((e) => e.action === "settings.update");
    expect(entry).toMatchObject({ organizationId: ids.zju, actorUserId: ids.staff });
    expect(entry!.after).toMatchObject({ minNoticeMinutes: 1440, bufferMinutes: 15 });

    const hours = await callRoute(
      hoursRoute.action,
      await formRequest(`/manage/instruments/${id}/hours`, { intent: "rules", "start-1": "09:00", "end-1": "12:00" }, { userId: ids.staff }),
      { id },
    );
    expect(hours.status, JSON.stringify(hours.data)).toBe(302);
    const [rules] = (await entriesOf(id)).filter((e) => e.action === "hours.update");
    expect(rules!.after).toEqual({ rules: ["1 09:00-12:00"] });
    expect((rules!.before as { rules: string[] }).rules).toContain("1 08:30-12:00");
  });

  it("records every booking state change under the instrument's institution", async () => {
    const instrumentId = await bookableInstrument(d);
    const customer = await demoCustomer(d);
    const made = await requestSlot(
      { instrumentId, ...customer, start: at("2026-03-03 09:00"), end: at("2026-03-03 10:00"), purpose: "形貌观察", ip: "198.51.100.2" },
      new Date("2026-02-20T00:00:00Z"),
    );
    if (!made.ok) throw new Error(made.reason);
    await reject({ bookingId: made.booking.id, actorUserId: ids.staff, reason: "仪器维护", ip: "203.0.113.9" }, new Date("2026-02-21T00:00:00Z"));
    expect((await entriesOf(made.booking.id)).map((e) => ({ action: e.action, actor: e.actorUserId, org: e.organizationId, before: e.before, after: e.after, ip: e.ip }))).toEqual([
      { action: "booking.create", actor: customer.userId, org: ids.zju, before: null, after: { status: "requested" }, ip: "198.51.100.2" },
      { action: "booking.status", actor: ids.staff, org: ids.zju, before: { status: "requested" }, after: { status: "rejected", reason: "仪器维护" }, ip: "203.0.113.9" },
    ]);
  });
});

describe("reading the audit log", () => {
  it("shows an institution admin their institution's entries, filtered, and exports them as CSV", async () => {
    const id = await bookableInstrument(d, { status: "draft" });
    const fee = `校外 ${unique()} 元/小时`;
    expect((await callRoute(editRoute.action, await formRequest(`/manage/instruments/${id}`, await formOf(id, { feeText: fee }), { userId: ids.staff }), { id })).status).toBe(302);
    // Another institution's entry must never show here.
    await d.db.insert(auditLog).values({ actorUserId: null, organizationId: ids.iccas, action: "instrument.update", entityType: "instrument", entityId: `other-${unique()}` });

    const page = await callRoute(
      auditRoute.loader,
      await getRequest(`/manage/institutions/${ids.zju}/audit?action=instrument.update&actor=staff@zju`, { userId: ids.instAdmin }),
      { orgId: ids.zju },
    );
    expect(page.status).toBe(200);
    expect(page.data.items.length).toBeGreaterThan(0);
    expect(page.data.items.every((e: { action: string; actorEmail: string }) => e.action === "instrument.update" && e.actorEmail === "staff@zju.openlab.test")).toBe(true);
    const mine = page.data.items.find((e: { entityId: string }) => e.entityId === id);
    expect(mine.after.feeText).toBe(fee);

    const oneObject = await callRoute(auditRoute.loader, await getRequest(`/manage/institutions/${ids.zju}/audit?entityType=instrument&entityId=${id}`, { userId: ids.instAdmin }), { orgId: ids.zju });
    expect(oneObject.data.items.every((e: { entityId: string }) => e.entityId === id)).toBe(true);

    const csv = await callRoute(auditCsvRoute.loader, await getRequest(`/manage/institutions/${ids.zju}/audit.csv?entityId=${id}`, { userId: ids.instAdmin }), { orgId: ids.zju });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    const text = typeof csv.data === "string" ? csv.data : await new Response(csv.data).text();
    expect(text).toContain(fee);
    expect(text).not.toContain("other-");

    const all = await callRoute(auditCsvRoute.loader, await getRequest(`/manage/institutions/${ids.zju}/audit.csv`, { userId: ids.instAdmin }), { orgId: ids.zju });
    const allText = typeof all.data === "string" ? all.data : await new Response(all.data).text();
    expect(allText).not.toContain("other-");
  });

  it("refuses another institution's admin and shows platform admins everything", async () => {
    const [other] = await d.db.insert(users).values({ email: `iccas-admin-${unique()}@example.com`, passwordHash: "x", displayName: "化学所管理员", emailVerifiedAt: new Date() }).returning({ id: users.id });
    await d.db.insert(memberships).values({ userId: other!.id, organizationId: ids.iccas, role: "institution_admin" });
    const refused = await callRoute(auditRoute.loader, await getRequest(`/manage/institutions/${ids.zju}/audit`, { userId: other!.id }), { orgId: ids.zju });
    expect(refused.status).toBe(403);

    const platform = await callRoute(adminAuditRoute.loader, await getRequest("/admin/audit", { userId: ids.platformAdmin }));
    const orgs = new Set(platform.data.items.map((e: { organizationNameZh: string | null }) => e.organizationNameZh));
    expect(orgs.size).toBeGreaterThan(1);
  });
});
