import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  auditLog,
  invitations,
  labs,
  memberships,
  organizations,
  providerApplicationEvents,
  providerApplications,
  users,
} from "../../db/schema";
import { makeCreditCode } from "../../db/seed/data";
import type { Database } from "../../app/lib/db.server";
import { newCsrfToken } from "../../app/lib/session.server";
import { storage } from "../../app/lib/storage.server";
import * as reviewRoute from "../../app/routes/admin.applications.$id";
import * as queueRoute from "../../app/routes/admin.applications._index";
import * as letterRoute from "../../app/routes/apply.letter.$id";
import * as applyRoute from "../../app/routes/apply";
import * as invitationRoute from "../../app/routes/invitations.$token";
import * as labRoute from "../../app/routes/manage.institutions.$orgId.labs.$labId";
import * as institutionRoute from "../../app/routes/manage.institutions.$orgId._index";
import { deliverQueued, emailJobs as jobsFor } from "../support/accounts";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionCookie } from "../support/requests";


let d: Database;
const seeded = {} as Record<"platformAdmin" | "customer" | "zjuAdmin" | "zju", string>;

async function userId(email: string) {
  const [u] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u.id;
}

async function newUser(name = "申请人") {
  const email = `onboarding-${unique()}@example.com`;
  const [u] = await d.db.insert(users).values({ email, passwordHash: "x", displayName: name, emailVerifiedAt: new Date() }).returning();
  return u;
}

beforeAll(async () => {
  d = await useTestDatabase();
  const [zju] = await d.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, "zju"));
  Object.assign(seeded, {
    platformAdmin: await userId("admin@openlab.test"),
    customer: await userId("customer@weina.openlab.test"),
    zjuAdmin: await userId("inst-admin@zju.openlab.test"),
    zju: zju.id,
  });
});

const newCreditCode = () => makeCreditCode("12", "330000", 50_000_000 + Math.floor(Math.random() * 40_000_000));

function pdfBytes(size = 600) {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode("%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >> endobj\n"));
  return bytes;
}

function applicationFields(over: Record<string, string> = {}) {
  return {
    nameZh: `西湖测试研究院${unique()}`,
    nameEn: "Westlake Test Institute",
    type: "institute",
    creditCode: newCreditCode(),
    regionCode: "330106",
    address: "杭州市西湖区云栖小镇",
    contactName: "周老师",
    contactPhone: "0571-8765 4321",
    contactEmail: "share@westlake.example.cn",
    ...over,
  };
}

/** A multipart POST to /apply as the browser sends it, with the letter as a file part. */
async function apply(userId: string, fields: Record<string, string>, letter: Uint8Array<ArrayBuffer> | null = pdfBytes(), fileName = "授权函.pdf") {
  const csrf = newCsrfToken();
  const body = new FormData();
  body.set("_csrf", csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (letter) body.set("letter", new File([letter], fileName, { type: "application/pdf" }));
  const request = new Request("http://localhost/apply", { method: "POST", body, headers: { Cookie: await sessionCookie({ userId, csrf }) } });
  return callRoute(applyRoute.action, request);
}

async function applicationsOf(userId: string) {
  return d.db.select().from(providerApplications).where(eq(providerApplications.applicantUserId, userId));
}

const decideAs = async (adminId: string, id: string, fields: Record<string, string>) =>
  callRoute(reviewRoute.action, await formRequest(`/admin/applications/${id}`, fields, { userId: adminId }), { id });

const emailJobs = (to: string) => jobsFor(d, to);
const deliver = (to: string) => deliverQueued(d, to);

async function submitted(applicant: { id: string }, over: Record<string, string> = {}) {
  const answer = await apply(applicant.id, applicationFields(over));
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  const [application] = (await applicationsOf(applicant.id)).filter((a) => a.status === "submitted");
  return application;
}

describe("a provider from application to lab staff", () => {
  it("submits, is approved, creates a lab, invites staff who accept", async () => {
    const applicant = await newUser();
    const fields = applicationFields();
    const answer = await apply(applicant.id, { ...fields, creditCode: fields.creditCode.toLowerCase() });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/apply");

    const [application] = await applicationsOf(applicant.id);
    expect(application).toMatchObject({ status: "submitted", creditCode: fields.creditCode, type: "institute", organizationId: null, letterFileName: "授权函.pdf" });
    expect(await storage().read(application.letterFileKey)).toEqual(pdfBytes());

    // The applicant's page lists it with its history.
    const page = await callRoute(applyRoute.loader, await getRequest("/apply", { userId: applicant.id }));
    expect(page.data.applications).toHaveLength(1);
    expect(page.data.applications[0].events.map((e: any) => e.action)).toEqual(["submitted"]);

    const approved = await decideAs(seeded.platformAdmin, application.id, { decision: "approve", reason: "" });
    expect(approved.status).toBe(302);

    const [after] = await applicationsOf(applicant.id);
    expect(after).toMatchObject({ status: "approved", decidedBy: seeded.platformAdmin, decisionReason: null });
    expect(after.decidedAt).toBeInstanceOf(Date);
    const [org] = await d.db.select().from(organizations).where(eq(organizations.creditCode, fields.creditCode));
    expect(org).toMatchObject({ id: after.organizationId, providerStatus: "accepted", type: "institute", nameZh: fields.nameZh, regionCode: "330106" });
    expect(org.verifiedAt).toBeInstanceOf(Date);
    const roles = await d.db.select().from(memberships).where(eq(memberships.userId, applicant.id));
    expect(roles.map((m) => [m.role, m.organizationId])).toEqual([["institution_admin", org.id]]);
    const events = await d.db.select().from(providerApplicationEvents).where(eq(providerApplicationEvents.applicationId, application.id)).orderBy(providerApplicationEvents.createdAt);
    expect(events.map((e) => [e.action, e.actorUserId])).toEqual([["submitted", applicant.id], ["approved", seeded.platformAdmin]]);

    const [mail] = await deliver(applicant.email);
    expect(mail.subject).toBe("您的服务机构入驻申请有了审核结果");
    expect(mail.text).toContain("已通过审核");
    expect(mail.text).toContain(`/manage/institutions/${org.id}`);

    // Now institution admin: create a lab (time zone defaults), then invite staff.
    const created = await callRoute(
      institutionRoute.action,
      await formRequest(`/manage/institutions/${org.id}`, { nameZh: "分析测试中心", nameEn: "Analysis and Testing Centre", timeZone: "", address: "云栖小镇 3 号楼" }, { userId: applicant.id }),
      { orgId: org.id },
    );
    expect(created.status).toBe(302);
    const [lab] = await d.db.select().from(labs).where(eq(labs.organizationId, org.id));
    expect(lab).toMatchObject({ nameZh: "分析测试中心", timeZone: "Asia/Shanghai", address: "云栖小镇 3 号楼" });
    expect(lab.slug).toMatch(/^analysis-and-testing-centre-[0-9a-f]{6}$/);
    expect(created.headers.get("Location")).toBe(`/manage/institutions/${org.id}/labs/${lab.id}`);

    const staff = await newUser("实验员");
    const invited = await callRoute(
      labRoute.action,
      await formRequest(`/manage/institutions/${org.id}/labs/${lab.id}`, { intent: "invite", email: staff.email.toUpperCase() }, { userId: applicant.id }),
      { orgId: org.id, labId: lab.id },
    );
    expect(invited.status).toBe(302);
    const [job] = await emailJobs(staff.email);
    expect(job).toMatchObject({ template: "lab-invitation", props: { inviter: "申请人", lab: "分析测试中心" } });
    const token = /\/invitations\/([A-Za-z0-9_-]{43})$/.exec(job.props.url)![1];
    const [invitation] = await d.db.select().from(invitations).where(eq(invitations.labId, lab.id));
    const days = (invitation.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(invitation.tokenHash).not.toContain(token);

    // Someone else signed in can't use the link.
    const stranger = await newUser();
    const refused = await callRoute(invitationRoute.action, await formRequest(`/invitations/${token}`, {}, { userId: stranger.id }), { token });
    expect(refused).toMatchObject({ status: 400, data: { problem: "onboarding:invitation.otherEmail" } });

    const accepted = await callRoute(invitationRoute.action, await formRequest(`/invitations/${token}`, {}, { userId: staff.id }), { token });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("Location")).toBe(`/manage/labs/${lab.id}`);
    const staffRoles = await d.db.select().from(memberships).where(eq(memberships.userId, staff.id));
    expect(staffRoles.map((m) => [m.role, m.organizationId, m.labId])).toEqual([["lab_staff", org.id, lab.id]]);

    // Single use; the lab page lists the new staff member and no open invitation.
    const again = await callRoute(invitationRoute.action, await formRequest(`/invitations/${token}`, {}, { userId: staff.id }), { token });
    expect(again).toMatchObject({ status: 400, data: { problem: "onboarding:invitation.used" } });
    const labPage = await callRoute(labRoute.loader, await getRequest(`/manage/institutions/${org.id}/labs/${lab.id}`, { userId: applicant.id }), { orgId: org.id, labId: lab.id });
    expect(labPage.data.staff.map((s: any) => s.email)).toEqual([staff.email]);
    expect(labPage.data.invitations).toEqual([]);
    const reinvite = await callRoute(
      labRoute.action,
      await formRequest(`/manage/institutions/${org.id}/labs/${lab.id}`, { intent: "invite", email: staff.email }, { userId: applicant.id }),
      { orgId: org.id, labId: lab.id },
    );
    expect(reinvite).toMatchObject({ status: 400, data: { errors: { email: "onboarding:validation.alreadyStaff" } } });

    // The institution page shows the lab and the application history.
    const institution = await callRoute(institutionRoute.loader, await getRequest(`/manage/institutions/${org.id}`, { userId: applicant.id }), { orgId: org.id });
    expect(institution.data.labs.map((l: any) => [l.id, l.staffCount])).toEqual([[lab.id, 1]]);
    expect(institution.data.applications.map((a: any) => a.events.map((e: any) => e.action))).toEqual([["submitted", "approved"]]);
  });

  it("turns an existing organisation with the same credit code into the provider instead of creating another", async () => {
    const creditCode = newCreditCode();
    const [existing] = await d.db
      .insert(organizations)
      .values({ slug: `org-${unique()}`, nameZh: "旧名称", nameEn: "Old name", type: "enterprise", creditCode })
      .returning();
    const applicant = await newUser();
    const application = await submitted(applicant, { creditCode, type: "enterprise_lab" });
    expect(application.organizationId).toBe(existing.id);
    expect((await d.db.select().from(organizations).where(eq(organizations.id, existing.id)))[0].providerStatus).toBe("applied");
    expect((await decideAs(seeded.platformAdmin, application.id, { decision: "approve" })).status).toBe(302);
    const orgs = await d.db.select().from(organizations).where(eq(organizations.creditCode, creditCode));
    expect(orgs).toHaveLength(1);
    expect(orgs[0]).toMatchObject({ id: existing.id, providerStatus: "accepted", type: "enterprise", nameZh: application.nameZh, slug: existing.slug });
  });
});

describe("rejection and second decisions", () => {
  it("needs a reason, records and emails it, and refuses any further decision", async () => {
    const applicant = await newUser();
    const application = await submitted(applicant);

    const empty = await decideAs(seeded.platformAdmin, application.id, { decision: "reject", reason: "  " });
    expect(empty).toMatchObject({ status: 400, data: { errors: { reason: "onboarding:validation.reasonRequired" } } });
    expect((await applicationsOf(applicant.id))[0].status).toBe("submitted");
    expect(await emailJobs(applicant.email)).toHaveLength(0);

    const reason = "授权函未加盖单位公章，请补充后重新提交。";
    expect((await decideAs(seeded.platformAdmin, application.id, { decision: "reject", reason })).status).toBe(302);
    const [after] = await applicationsOf(applicant.id);
    expect(after).toMatchObject({ status: "rejected", decisionReason: reason, decidedBy: seeded.platformAdmin, organizationId: null });
    const [mail] = await deliver(applicant.email);
    expect(mail.text).toContain("未通过审核");
    expect(mail.text).toContain(reason);

    const second = await decideAs(seeded.platformAdmin, application.id, { decision: "approve" });
    expect(second).toMatchObject({ status: 409, data: { errors: { _form: "onboarding:errors.alreadyDecided" } } });
    expect(await d.db.select().from(memberships).where(eq(memberships.userId, applicant.id))).toEqual([]);
    expect(await d.db.select().from(organizations).where(eq(organizations.creditCode, application.creditCode))).toEqual([]);
    expect(await emailJobs(applicant.email)).toHaveLength(1);
    const events = await d.db.select().from(providerApplicationEvents).where(eq(providerApplicationEvents.applicationId, application.id));
    expect(events.map((e) => e.action).sort()).toEqual(["rejected", "submitted"]);

    // A rejected applicant may apply again with the same code.
    expect((await apply(applicant.id, applicationFields({ creditCode: application.creditCode }))).status).toBe(302);
  });

  it("answers 404 for an unknown or malformed application id", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    await expect(decideAs(seeded.platformAdmin, missing, { decision: "approve" })).resolves.toMatchObject({ status: 404 });
    await expect(decideAs(seeded.platformAdmin, "not-a-uuid", { decision: "approve" })).resolves.toMatchObject({ status: 404 });
  });
});

describe("bad applications are refused at their field, writing nothing", () => {
  const cases: [string, Record<string, string>, Uint8Array<ArrayBuffer> | null, string, string][] = [
    ["a wrong credit code", { creditCode: "91330106MA27XXXXX1" }, pdfBytes(), "creditCode", "onboarding:validation.creditCode"],
    ["an unknown region", { regionCode: "990101" }, pdfBytes(), "regionCode", "onboarding:validation.regionUnknown"],
    ["a PNG named .pdf", {}, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), "letter", "onboarding:validation.letterNotPdf"],
    ["no letter", {}, null, "letter", "onboarding:validation.letterRequired"],
  ];
  for (const [what, over, letter, field, message] of cases) {
    it(`refuses ${what}`, async () => {
      const applicant = await newUser();
      const answer = await apply(applicant.id, applicationFields(over), letter);
      expect(answer.status).toBe(400);
      expect(answer.data.errors).toEqual({ [field]: message });
      expect(await applicationsOf(applicant.id)).toEqual([]);
    });
  }

  it("refuses a letter over 10 MB even when it is a PDF", async () => {
    const applicant = await newUser();
    const answer = await apply(applicant.id, applicationFields(), pdfBytes(10 * 1024 * 1024 + 1));
    expect(answer).toMatchObject({ status: 400, data: { errors: { letter: "onboarding:validation.letterTooBig" } } });
    expect(await applicationsOf(applicant.id)).toEqual([]);
  });

  it("refuses a second open application for one credit code and one for an accepted provider", async () => {
    const first = await submitted(await newUser());
    const other = await newUser();
    const twice = await apply(other.id, applicationFields({ creditCode: first.creditCode }));
    expect(twice).toMatchObject({ status: 400, data: { errors: { creditCode: "onboarding:validation.pendingExists" } } });
    const [zju] = await d.db.select().from(organizations).where(eq(organizations.id, seeded.zju));
    const provider = await apply(other.id, applicationFields({ creditCode: zju.creditCode! }));
    expect(provider).toMatchObject({ status: 400, data: { errors: { creditCode: "onboarding:validation.alreadyProvider" } } });
    expect(await applicationsOf(other.id)).toEqual([]);
  });
});

describe("authorization", () => {
  it("lets the applicant and platform admins download the letter, and nobody else", async () => {
    const applicant = await newUser();
    const application = await submitted(applicant);
    const get = async (userId?: string) => callRoute(letterRoute.loader, await getRequest(`/apply/letter/${application.id}`, { userId }), { id: application.id });
    const own = await get(applicant.id);
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toBe("application/pdf");
    expect(own.headers.get("Content-Disposition")).toContain(encodeURIComponent("授权函.pdf"));
    expect((await get(seeded.platformAdmin)).status).toBe(200);
    expect((await get(seeded.customer)).status).toBe(403);
    expect((await get(seeded.zjuAdmin)).status).toBe(403);
    expect((await get()).status).toBe(302);
  });

  it("keeps the review queue and decisions to platform admins", async () => {
    const application = await submitted(await newUser());
    expect((await callRoute(queueRoute.loader, await getRequest("/admin/applications", { userId: seeded.customer }))).status).toBe(403);
    expect((await callRoute(queueRoute.loader, await getRequest("/admin/applications", { userId: seeded.zjuAdmin }))).status).toBe(403);
    expect((await decideAs(seeded.customer, application.id, { decision: "approve" })).status).toBe(403);
    expect((await applicationsOf(application.applicantUserId))[0].status).toBe("submitted");

    const queue = await callRoute(queueRoute.loader, await getRequest("/admin/applications?status=submitted", { userId: seeded.platformAdmin }));
    expect(queue.status).toBe(200);
    expect(queue.data.applications.some((a: any) => a.id === application.id)).toBe(true);
    expect(queue.data.applications.every((a: any) => a.status === "submitted")).toBe(true);
    const approved = await callRoute(queueRoute.loader, await getRequest("/admin/applications?status=approved", { userId: seeded.platformAdmin }));
    expect(approved.data.applications.some((a: any) => a.id === application.id)).toBe(false);
  });

  it("keeps each institution admin to their own institution and labs", async () => {
    const applicant = await newUser();
    const application = await submitted(applicant);
    await decideAs(seeded.platformAdmin, application.id, { decision: "approve" });
    const orgId = (await applicationsOf(applicant.id))[0].organizationId!;

    // ZJU's admin can't create a lab at the new institution.
    const foreign = await callRoute(
      institutionRoute.action,
      await formRequest(`/manage/institutions/${orgId}`, { nameZh: "越权实验室", nameEn: "Intruder lab" }, { userId: seeded.zjuAdmin }),
      { orgId },
    );
    expect(foreign.status).toBe(403);
    expect(await d.db.select().from(labs).where(eq(labs.organizationId, orgId))).toEqual([]);

    // The new admin can't reach a ZJU lab through their own institution's URL, nor ZJU's page.
    const [zjuLab] = await d.db.select().from(labs).where(eq(labs.organizationId, seeded.zju)).limit(1);
    const viaOwn = await callRoute(labRoute.loader, await getRequest(`/manage/institutions/${orgId}/labs/${zjuLab.id}`, { userId: applicant.id }), { orgId, labId: zjuLab.id });
    expect(viaOwn.status).toBe(404);
    const edit = await callRoute(
      labRoute.action,
      await formRequest(`/manage/institutions/${orgId}/labs/${zjuLab.id}`, { intent: "update", nameZh: "改名", nameEn: "Renamed", timeZone: "Asia/Shanghai" }, { userId: applicant.id }),
      { orgId, labId: zjuLab.id },
    );
    expect(edit.status).toBe(404);
    expect((await d.db.select().from(labs).where(eq(labs.id, zjuLab.id)))[0].nameZh).toBe(zjuLab.nameZh);
    const zjuPage = await callRoute(institutionRoute.loader, await getRequest(`/manage/institutions/${seeded.zju}`, { userId: applicant.id }), { orgId: seeded.zju });
    expect(zjuPage.status).toBe(403);
  });
});

describe("labs and invitations", () => {
  it("refuses an unknown time zone, edits a lab and clears emptied fields", async () => {
    const [zjuLab] = await d.db.insert(labs).values({ slug: `lab-${unique()}`, organizationId: seeded.zju, nameZh: "临时实验室", nameEn: "Temp lab", contactName: "王" }).returning();
    const post = async (fields: Record<string, string>) =>
      callRoute(labRoute.action, await formRequest(`/manage/institutions/${seeded.zju}/labs/${zjuLab.id}`, { intent: "update", ...fields }, { userId: seeded.zjuAdmin }), {
        orgId: seeded.zju,
        labId: zjuLab.id,
      });
    const bad = await post({ nameZh: "临时实验室", nameEn: "Temp lab", timeZone: "Asia/Beijing" });
    expect(bad).toMatchObject({ status: 400, data: { intent: "update", errors: { timeZone: "onboarding:validation.timeZone" } } });
    expect((await post({ nameZh: "柏林联合实验室", nameEn: "Berlin Joint Lab", timeZone: "Europe/Berlin", contactName: "" })).status).toBe(302);
    const [after] = await d.db.select().from(labs).where(eq(labs.id, zjuLab.id));
    expect(after).toMatchObject({ nameZh: "柏林联合实验室", timeZone: "Europe/Berlin", contactName: null });
  });

  it("withdraws a pending lab invitation: its link says it was withdrawn, and another lab's invitation is not touched", async () => {
    const [lab, otherLab] = await d.db.select().from(labs).where(eq(labs.organizationId, seeded.zju)).limit(2);
    const invitee = await newUser();
    const path = `/manage/institutions/${seeded.zju}/labs/${lab.id}`;
    const post = async (fields: Record<string, string>, labId = lab.id) =>
      callRoute(labRoute.action, await formRequest(`/manage/institutions/${seeded.zju}/labs/${labId}`, fields, { userId: seeded.zjuAdmin }), { orgId: seeded.zju, labId });
    expect((await post({ intent: "invite", email: invitee.email })).status).toBe(302);
    const [row] = await d.db.select().from(invitations).where(and(eq(invitations.labId, lab.id), eq(invitations.email, invitee.email)));
    const token = /\/invitations\/([A-Za-z0-9_-]{43})$/.exec((await emailJobs(invitee.email))[0].props.url)![1];

    // Through another lab's page the invitation is not found; a malformed id changes nothing either.
    expect((await post({ intent: "withdraw", invitationId: row!.id }, otherLab!.id)).data).toMatchObject({ intent: "withdraw", errors: { _form: "onboarding:invite.gone" } });
    expect((await post({ intent: "withdraw", invitationId: "x" })).status).toBe(400);
    expect((await callRoute(invitationRoute.loader, await getRequest(`/invitations/${token}`), { token })).status).toBe(200);

    const withdrawn = await post({ intent: "withdraw", invitationId: row!.id });
    expect(withdrawn.status).toBe(302);
    expect(withdrawn.headers.get("Location")).toBe(path);
    const shown = await callRoute(invitationRoute.loader, await getRequest(`/invitations/${token}`), { token });
    expect(shown).toMatchObject({ status: 400, data: { invitation: { ok: false, problem: "onboarding:invitation.withdrawn" } } });
    const [audit] = await d.db.select().from(auditLog).where(and(eq(auditLog.action, "invitation.withdraw"), eq(auditLog.entityId, lab.id)));
    expect(audit).toMatchObject({ actorUserId: seeded.zjuAdmin, organizationId: seeded.zju, before: { email: invitee.email, role: "lab_staff", invitationId: row!.id } });
    // Withdrawn once: a second withdrawal finds nothing open.
    expect((await post({ intent: "withdraw", invitationId: row!.id })).status).toBe(400);
  });

  it("shows an expired or unknown invitation as a 400 with its reason, and does not accept it", async () => {
    const [lab] = await d.db.select().from(labs).where(eq(labs.organizationId, seeded.zju)).limit(1);
    const invitee = await newUser();
    const invited = await callRoute(
      labRoute.action,
      await formRequest(`/manage/institutions/${seeded.zju}/labs/${lab.id}`, { intent: "invite", email: invitee.email }, { userId: seeded.zjuAdmin }),
      { orgId: seeded.zju, labId: lab.id },
    );
    expect(invited.status).toBe(302);
    const token = /\/invitations\/([A-Za-z0-9_-]{43})$/.exec((await emailJobs(invitee.email))[0].props.url)![1];
    const shown = await callRoute(invitationRoute.loader, await getRequest(`/invitations/${token}`), { token });
    expect(shown).toMatchObject({ status: 200, data: { invitation: { ok: true, email: invitee.email } } });

    await d.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(and(eq(invitations.labId, lab.id), eq(invitations.email, invitee.email)));
    const expired = await callRoute(invitationRoute.loader, await getRequest(`/invitations/${token}`), { token });
    expect(expired).toMatchObject({ status: 400, data: { invitation: { ok: false, problem: "onboarding:invitation.expired" } } });
    const accept = await callRoute(invitationRoute.action, await formRequest(`/invitations/${token}`, {}, { userId: invitee.id }), { token });
    expect(accept).toMatchObject({ status: 400, data: { problem: "onboarding:invitation.expired" } });
    expect(await d.db.select().from(memberships).where(eq(memberships.userId, invitee.id))).toEqual([]);

    const unknown = await callRoute(invitationRoute.loader, await getRequest("/invitations/not-a-token"), { token: "not-a-token" });
    expect(unknown).toMatchObject({ status: 400, data: { invitation: { ok: false, problem: "onboarding:invitation.invalid" } } });
  });
});
