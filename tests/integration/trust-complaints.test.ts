import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, complaintAttachments, complaintMessages, complaints, labs, users } from "../../db/schema";
import type { Database } from "../../app/lib/db.server";
import { newCsrfToken } from "../../app/lib/session.server";
import * as adminInbox from "../../app/routes/admin.complaints";
import * as attachmentRoute from "../../app/routes/complaints.$id_.attachments.$attachmentId";
import * as complaintRoute from "../../app/routes/complaints.$id";
import * as myComplaints from "../../app/routes/complaints._index";
import * as newComplaint from "../../app/routes/complaints.new";
import * as labComplaints from "../../app/routes/manage.labs.$labId.complaints";
import { labCreditRecord } from "../../app/trust/credit.server";
import { deliverQueued, emailJobs } from "../support/accounts";
import { demoCustomer } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionCookie } from "../support/requests";
import { completedSlot } from "../support/trust";

let d: Database;
let customer: { userId: string; organizationId: string };
let otherCompanyCustomer: string;
let staff: string;
let otherLabStaff: string;
let platformAdmin: string;
let labId: string;

const idOf = async (email: string) => (await d.db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0]!.id;

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  otherCompanyCustomer = await idOf("customer@huadong.openlab.test");
  staff = await idOf("staff@zju.openlab.test");
  otherLabStaff = await idOf("staff@iccas.openlab.test");
  platformAdmin = await idOf("admin@openlab.test");
  [{ id: labId }] = await d.db.select({ id: labs.id }).from(labs).where(eq(labs.slug, "zju-emlab"));
});

const PDF = () => new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n");
const PNG = () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

/** The filing form as the browser sends it: multipart, with the files as parts. */
async function file(userId: string, fields: Record<string, string>, files: { bytes: Uint8Array; name: string; type?: string }[] = []) {
  const csrf = newCsrfToken();
  const body = new FormData();
  body.set("_csrf", csrf);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const f of files) body.append("attachments", new File([f.bytes as Uint8Array<ArrayBuffer>], f.name, { type: f.type ?? "application/pdf" }));
  const request = new Request("http://localhost/complaints/new", { method: "POST", body, headers: { Cookie: await sessionCookie({ userId, csrf }) } });
  return callRoute(newComplaint.action, request);
}

const onComplaint = async (id: string, userId: string, fields: Record<string, string>) => callRoute(complaintRoute.action, await formRequest(`/complaints/${id}`, fields, { userId }), { id });
const countComplaints = async () => (await d.db.select({ id: complaints.id }).from(complaints)).length;

describe("complaints", () => {
  it("a customer files about their booking with evidence; the lab answers; a platform admin upholds it; every step is audited and emailed", async () => {
    const { bookingId } = await completedSlot(d, customer, staff);
    const form = await callRoute(newComplaint.loader, await getRequest(`/complaints/new?booking=${bookingId}`, { userId: customer.userId }));
    expect(form.status).toBe(200);
    expect(form.data.subject).toMatchObject({ kind: "booking", labId, organizationId: customer.organizationId });

    const filed = await file(customer.userId, { subjectKind: "booking", subjectId: bookingId, body: "样品在测试前被污染，\n要求重新测试。" }, [
      { bytes: PDF(), name: "照片说明.pdf" },
      { bytes: PNG(), name: "sample.png", type: "image/png" },
    ]);
    expect(filed.status, JSON.stringify(filed.data)).toBe(302);
    const [row] = await d.db.select().from(complaints).where(eq(complaints.bookingId, bookingId));
    expect(row).toMatchObject({ organizationId: customer.organizationId, filedBy: customer.userId, labId, subjectKind: "booking", status: "open", firstResponseAt: null });
    expect(filed.headers.get("Location")).toBe(`/complaints/${row!.id}`);
    const attachments = await d.db.select().from(complaintAttachments).where(eq(complaintAttachments.complaintId, row!.id));
    expect(attachments.map((a) => a.contentType).sort()).toEqual(["application/pdf", "image/png"]);
    const audited = async (action: string) => d.db.select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.entityId, row!.id)));
    expect(await audited("complaint.create")).toHaveLength(1);
    const labMail = (await emailJobs(d, "staff@zju.openlab.test")).filter((j) => j.template === "complaint-update" && j.props.url.endsWith(row!.id));
    expect(labMail.map((j) => j.props.kind)).toEqual(["filed"]);

    // The evidence opens for the lab, not for a stranger.
    const pdf = attachments.find((a) => a.contentType === "application/pdf")!;
    const download = await callRoute(attachmentRoute.loader, await getRequest(`/complaints/${row!.id}/attachments/${pdf.id}`, { userId: staff }), { id: row!.id, attachmentId: pdf.id });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    const stranger = await callRoute(attachmentRoute.loader, await getRequest(`/complaints/${row!.id}/attachments/${pdf.id}`, { userId: otherCompanyCustomer }), { id: row!.id, attachmentId: pdf.id });
    expect(stranger.status).toBe(404);

    // Parties see it; another company and another lab get 404.
    for (const [userId, status] of [[customer.userId, 200], [staff, 200], [platformAdmin, 200], [otherCompanyCustomer, 404], [otherLabStaff, 404]] as const) {
      const page = await callRoute(complaintRoute.loader, await getRequest(`/complaints/${row!.id}`, { userId }), { id: row!.id });
      expect(page.status, userId).toBe(status);
    }

    // The customer cannot speak for the lab; the lab cannot resolve.
    expect((await onComplaint(row!.id, customer.userId, { intent: "message", side: "lab", body: "伪造的实验室答复" })).status).toBe(403);
    expect((await onComplaint(row!.id, staff, { intent: "resolve", resolution: "not_upheld", reason: "自行结案" })).status).toBe(403);

    const answered = await onComplaint(row!.id, staff, { intent: "message", side: "lab", body: "已安排重新测试。" });
    expect(answered.status, JSON.stringify(answered.data)).toBe(302);
    const [afterAnswer] = await d.db.select().from(complaints).where(eq(complaints.id, row!.id));
    expect(afterAnswer!.status).toBe("responded");
    expect(afterAnswer!.firstResponseAt).toBeInstanceOf(Date);
    expect(await audited("complaint.respond")).toHaveLength(1);
    expect((await onComplaint(row!.id, customer.userId, { intent: "message", side: "customer", body: "谢谢，等待结果。" })).status).toBe(302);
    expect(await audited("complaint.message")).toHaveLength(1);
    expect(await d.db.select().from(complaintMessages).where(eq(complaintMessages.complaintId, row!.id))).toHaveLength(2);

    // A decision needs its reason; then it is recorded once.
    const noReason = await onComplaint(row!.id, platformAdmin, { intent: "resolve", resolution: "upheld", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors.reason).toBe("complaints:validation.reasonRequired");
    const resolved = await onComplaint(row!.id, platformAdmin, { intent: "resolve", resolution: "upheld", reason: "样品管理不当，实验室应免费重测。" });
    expect(resolved.status).toBe(302);
    const [done] = await d.db.select().from(complaints).where(eq(complaints.id, row!.id));
    expect(done).toMatchObject({ status: "resolved", resolution: "upheld", resolutionReason: "样品管理不当，实验室应免费重测。", resolvedBy: platformAdmin });
    const [decision] = await audited("complaint.resolve");
    expect(decision).toMatchObject({ actorUserId: platformAdmin, after: { resolution: "upheld" } });
    const again = await onComplaint(row!.id, platformAdmin, { intent: "resolve", resolution: "settled", reason: "再次处理" });
    expect(again.status).toBe(409);
    const late = await onComplaint(row!.id, staff, { intent: "message", side: "lab", body: "补充" });
    expect(late.data.errors._form).toBe("complaints:validation.resolved");

    // The customer is told of the answer and of the decision, in their language.
    const delivered = (await deliverQueued(d, "customer@weina.openlab.test")).filter((m) => m.template === "complaint-update");
    expect(delivered.some((m) => m.subject.includes("已处理") && m.text.includes("投诉成立") && m.text.includes("样品管理不当"))).toBe(true);
    expect(delivered.some((m) => m.text.includes("已安排重新测试"))).toBe(true);

    // The lab's record and figures count it.
    expect((await labCreditRecord(labId, new Date())).upheldComplaints).toBeGreaterThanOrEqual(1);
    const labPage = await callRoute(labComplaints.loader, await getRequest(`/manage/labs/${labId}/complaints`, { userId: staff }), { labId });
    expect(labPage.data.figures).toMatchObject({ labId, upheld: expect.any(Number) });
    expect(labPage.data.figures.medianResponseHours).toBeGreaterThanOrEqual(0);
    const mine = await callRoute(myComplaints.loader, await getRequest("/complaints", { userId: customer.userId }));
    expect(mine.data.complaints.map((c: { id: string }) => c.id)).toContain(row!.id);
  });

  it("refuses another company's booking, markup, and unusable attachments at the field; nothing is stored", async () => {
    const { bookingId } = await completedSlot(d, customer, staff);
    const before = await countComplaints();
    const page = await callRoute(newComplaint.loader, await getRequest(`/complaints/new?booking=${bookingId}`, { userId: otherCompanyCustomer }));
    expect(page.status).toBe(404);
    const forged = await file(otherCompanyCustomer, { subjectKind: "booking", subjectId: bookingId, body: "冒名投诉" });
    expect(forged.status).toBe(400);
    expect(forged.data.errors.subjectId).toBe("complaints:validation.notYours");

    const script = await file(customer.userId, { subjectKind: "booking", subjectId: bookingId, body: "<script>alert(1)</script>" });
    expect(script.status).toBe(400);
    expect(script.data.errors.body).toBe("reviews:validation.markup");
    const empty = await file(customer.userId, { subjectKind: "booking", subjectId: bookingId, body: "   " });
    expect(empty.data.errors.body).toBe("validation.required");

    const html = await file(customer.userId, { subjectKind: "booking", subjectId: bookingId, body: "见附件" }, [{ bytes: new TextEncoder().encode("<html><script>x</script></html>"), name: "evil.pdf" }]);
    expect(html.status).toBe(400);
    expect(html.data.errors.attachments).toBe("complaints:validation.attachmentType");
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PDF());
    const oversized = await file(customer.userId, { subjectKind: "booking", subjectId: bookingId, body: "见附件" }, [{ bytes: big, name: "big.pdf" }]);
    expect(oversized.data.errors.attachments).toBe("complaints:validation.attachmentTooBig");
    const many = await file(customer.userId, { subjectKind: "booking", subjectId: bookingId, body: "见附件" }, [1, 2, 3, 4].map((i) => ({ bytes: PDF(), name: `${i}.pdf` })));
    expect(many.data.errors.attachments).toBe("complaints:validation.tooManyAttachments");

    const staffFiling = await file(staff, { subjectKind: "lab", subjectId: labId, body: "实验室人员不是客户" });
    expect(staffFiling.status).toBe(403);
    expect(await countComplaints()).toBe(before);
  });

  it("the admin inbox filters by status, lab and subject, and sorts oldest first", async () => {
    const lab = await file(customer.userId, { subjectKind: "lab", subjectId: labId, body: "电话长期无人接听。" });
    expect(lab.status).toBe(302);
    const inbox = async (query: string, userId = platformAdmin) => callRoute(adminInbox.loader, await getRequest(`/admin/complaints?${query}`, { userId }));
    expect((await inbox("", staff)).status).toBe(403);
    const labOnly = await inbox(`subjectKind=lab&status=unresolved&labId=${labId}`);
    expect(labOnly.data.complaints.length).toBeGreaterThanOrEqual(1);
    expect(labOnly.data.complaints.every((c: { subjectKind: string; status: string }) => c.subjectKind === "lab" && c.status !== "resolved")).toBe(true);
    const resolvedOnly = await inbox("status=resolved");
    expect(resolvedOnly.data.complaints.every((c: { status: string }) => c.status === "resolved")).toBe(true);
    const oldest = await inbox("order=oldest");
    const times = oldest.data.complaints.map((c: { filedAt: Date }) => new Date(c.filedAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const figures = oldest.data.figures.find((f: { labId: string }) => f.labId === labId);
    expect(figures).toMatchObject({ filed: expect.any(Number), unanswered: expect.any(Number) });
    expect(figures.filed).toBeGreaterThanOrEqual(2);
    // Garbage in the query string is ignored, not a 500.
    expect((await inbox("status=%3Cscript%3E&labId=x&order=sideways")).status).toBe(200);
  });
});
