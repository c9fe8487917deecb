import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, bookings, instruments, sampleJobSamples, sampleJobs, usageRecords, users } from "../../db/schema";
import type { SampleJobForm } from "../../app/booking/sample-form";
import {
  acceptSampleJob,
  cancelSampleJob,
  completeSampleJob,
  receiveSamples,
  recordSampleJobTime,
  rejectSampleJob,
  requestSampleJob,
  startTesting,
} from "../../app/booking/sample-jobs.server";
import { sampleJobDetail } from "../../app/booking/sample-queries.server";
import { issueReport, uploadReport } from "../../app/booking/sample-reports.server";
import { approve, bookingHistory, checkIn } from "../../app/booking/transitions.server";
import type { Database } from "../../app/lib/db.server";
import { storage } from "../../app/lib/storage.server";
import * as reportRoute from "../../app/routes/bookings.$id_.report";
import { emailJobs } from "../support/accounts";
import { bookableInstrument, demoCustomer, MONDAY_0800, newUsers } from "../support/booking";
import { useTestDatabase } from "../support/db";
import { callRoute, getRequest } from "../support/requests";

let d: Database;
let customer: { userId: string; organizationId: string };
let staffId: string;
let instrumentId: string;
const now = MONDAY_0800; // 2026-03-02 08:00 Shanghai
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
const pdf = (text = "report") => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);

beforeAll(async () => {
  d = await useTestDatabase();
  customer = await demoCustomer(d);
  [staffId] = await newUsers(d, 1);
  instrumentId = await bookableInstrument(d);
  await d.db.update(instruments).set({ serviceModes: ["staff_operated", "sample_submission"] }).where(eq(instruments.id, instrumentId));
});

const form = (over: Partial<SampleJobForm> = {}): SampleJobForm => ({
  requestKey: randomUUID(),
  purpose: "涂层断面形貌与成分分析",
  projectReference: "NSFC-52171234",
  remains: "return",
  samples: [
    { name: "涂层试样 A", count: 3, matrix: "不锈钢基体", hazards: [], hazardNote: "", requiredTests: "SEM 断面形貌、EDS 面扫" },
    { name: "粉末 B", count: 1, matrix: "", hazards: ["flammable", "nanomaterial"], hazardNote: "", requiredTests: "SEM 形貌" },
  ],
  ...over,
});

async function requested(over: Partial<SampleJobForm> = {}) {
  const result = await requestSampleJob({ ...form(over), instrumentId, ...customer }, now);
  if (!result.ok) throw new Error(result.reason);
  return result.bookingId;
}

async function snapshot(bookingId: string) {
  const [booking] = await d.db.select({ status: bookings.status, updatedAt: bookings.updatedAt }).from(bookings).where(eq(bookings.id, bookingId));
  const [job] = await d.db.select().from(sampleJobs).where(eq(sampleJobs.bookingId, bookingId));
  const [usage] = await d.db.select({ n: count() }).from(usageRecords).where(eq(usageRecords.bookingId, bookingId));
  return { booking, job, usage: usage!.n, events: (await bookingHistory(bookingId)).length };
}

const as = (bookingId: string) => ({ bookingId, actorUserId: staffId });

describe("a sample job's life", () => {
  it("runs request → accepted → samples received → testing → report issued → completed, one event per step", async () => {
    const id = await requested();
    const [booking] = await d.db.select().from(bookings).where(eq(bookings.id, id));
    expect(booking).toMatchObject({ kind: "sample_job", status: "requested", period: null, serviceMode: "sample_submission" });
    expect(booking!.reference).toMatch(/^BK-\d{4}-\d{6,}$/);
    const lines = await d.db.select().from(sampleJobSamples).where(eq(sampleJobSamples.bookingId, id)).orderBy(sampleJobSamples.position);
    expect(lines.map((l) => [l.position, l.name, l.count, l.hazards])).toEqual([
      [1, "涂层试样 A", 3, []],
      [2, "粉末 B", 1, ["flammable", "nanomaterial"]],
    ]);

    expect(await acceptSampleJob(as(id), later(10))).toEqual({ ok: true, status: "accepted", changed: true });
    expect(await receiveSamples({ ...as(id), receivedAt: "2026-03-02T09:30", condition: "包装完好" }, later(120))).toEqual({ ok: true, status: "samples_received", changed: true });
    expect(await startTesting(as(id), later(180))).toEqual({ ok: true, status: "in_testing", changed: true });
    const time = { startedAt: "2026-03-02T10:00", preparationMinutes: 15, measurementMinutes: 90, postProcessingMinutes: 30, samplesCount: 4, note: "" };
    expect(await recordSampleJobTime({ ...as(id), ...time }, later(300))).toMatchObject({ ok: true, effectiveMinutes: 135 });
    // Entered again with corrected figures: still one usage record.
    expect(await recordSampleJobTime({ ...as(id), ...time, measurementMinutes: 100 }, later(300))).toMatchObject({ ok: true, effectiveMinutes: 145 });
    const usage = await d.db.select().from(usageRecords).where(eq(usageRecords.bookingId, id));
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ instrumentId, organizationId: customer.organizationId, userId: customer.userId, operatorUserId: staffId, measurementMinutes: 100, samplesCount: 4 });
    expect(usage[0]!.endedAt.getTime() - usage[0]!.startedAt.getTime()).toBe(145 * 60_000);

    expect(await uploadReport({ ...as(id), file: new File([pdf("first")], "../../etc/报告.pdf") }, later(400))).toEqual({ ok: true });
    const [first] = await d.db.select().from(sampleJobs).where(eq(sampleJobs.bookingId, id));
    expect(first!.reportFileName).toBe("报告.pdf");
    expect(first!.reportFileKey).toMatch(new RegExp(`^sample-reports/${id}/[0-9a-f-]{36}\\.pdf$`));
    // A replacement removes the earlier file.
    expect(await uploadReport({ ...as(id), file: new File([pdf("second")], "report-v2.pdf") }, later(410))).toEqual({ ok: true });
    const [second] = await d.db.select().from(sampleJobs).where(eq(sampleJobs.bookingId, id));
    expect(await storage().read(first!.reportFileKey!)).toBeNull();
    expect(new TextDecoder().decode((await storage().read(second!.reportFileKey!))!)).toContain("second");

    expect(await issueReport({ ...as(id), origin: "http://openlab.test" }, later(24 * 60))).toEqual({ ok: true, status: "report_issued", changed: true });
    expect(await completeSampleJob(as(id), later(25 * 60))).toEqual({ ok: true, status: "completed", changed: true });

    const history = await bookingHistory(id);
    expect(history.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, "requested"],
      ["requested", "accepted"],
      ["accepted", "samples_received"],
      ["samples_received", "in_testing"],
      ["in_testing", "report_issued"],
      ["report_issued", "completed"],
    ]);
    const detail = await sampleJobDetail(id);
    // Received 09:30, issued the next day at 08:00: 22 h 30 min.
    expect(detail).toMatchObject({ samplesReceivedAt: "2026-03-02T01:30:00.000Z", receivedCondition: "包装完好", turnaroundMinutes: 22 * 60 + 30 });
    const [customerRow] = await d.db.select({ email: users.email }).from(users).where(eq(users.id, customer.userId));
    const mail = (await emailJobs(d, customerRow!.email)).filter((j) => j.template === "sample-report-ready");
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ props: { reference: booking!.reference, url: `http://openlab.test/bookings/${id}` } });
    const audits = await d.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, id));
    expect(audits.map((a) => a.action).filter((a) => a.startsWith("sample_report"))).toEqual(["sample_report.upload", "sample_report.upload"]);
    // A sample job has no slot: none of its six events queues a booking message (invite) job.
    const { rows } = await d.executeSql(`select count(*)::int as n from pgboss.job where name = 'booking-message' and data->>'bookingId' = $1`, [id]);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("returns the job already made when the same form is sent twice", async () => {
    const requestKey = randomUUID();
    const first = await requestSampleJob({ ...form({ requestKey }), instrumentId, ...customer }, now);
    const again = await requestSampleJob({ ...form({ requestKey }), instrumentId, ...customer }, now);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(again).toMatchObject({ ok: true, created: false, bookingId: first.ok ? first.bookingId : "" });
  });

  it("is refused on an instrument that does not take samples", async () => {
    const other = await bookableInstrument(d);
    expect(await requestSampleJob({ ...form(), instrumentId: other, ...customer }, now)).toEqual({ ok: false, reason: "instrument_unavailable" });
  });

  it("repeats are no-ops; rejection needs a reason; the customer cancels only before the samples arrive", async () => {
    const id = await requested();
    expect(await rejectSampleJob({ ...as(id), reason: "  " }, now)).toEqual({ ok: false, reason: "reason_required" });
    await acceptSampleJob(as(id), now);
    const before = await snapshot(id);
    expect(await acceptSampleJob(as(id), later(1))).toEqual({ ok: true, status: "accepted", changed: false });
    expect(await snapshot(id)).toEqual(before);
    await receiveSamples({ ...as(id), receivedAt: "2026-03-02T08:00", condition: "" }, later(5));
    expect(await cancelSampleJob({ bookingId: id, actorUserId: customer.userId }, later(6))).toEqual({ ok: false, reason: "invalid_transition" });

    const early = await requested();
    expect(await cancelSampleJob({ bookingId: early, actorUserId: customer.userId }, later(1))).toEqual({ ok: true, status: "cancelled", changed: true });
  });
});

describe("refusals change nothing", () => {
  it("out-of-order steps, slot commands on a sample job, and sample steps on a slot", async () => {
    const id = await requested();
    const before = await snapshot(id);
    expect(await startTesting(as(id), now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await receiveSamples({ ...as(id), receivedAt: "2026-03-02T08:00", condition: "" }, now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await issueReport({ ...as(id), origin: "http://openlab.test" }, now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await completeSampleJob(as(id), now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await uploadReport({ ...as(id), file: new File([pdf()], "r.pdf") }, now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await recordSampleJobTime({ ...as(id), startedAt: "2026-03-02T08:00", preparationMinutes: 0, measurementMinutes: 10, postProcessingMinutes: 0, samplesCount: 1, note: "" }, later(20))).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await approve(as(id), now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await checkIn(as(id), now)).toEqual({ ok: false, reason: "invalid_transition" });
    expect(await snapshot(id)).toEqual(before);
  });

  it("a receipt in the future, issuing without a report, a non-PDF or oversized report", async () => {
    const id = await requested();
    await acceptSampleJob(as(id), now);
    let before = await snapshot(id);
    expect(await receiveSamples({ ...as(id), receivedAt: "2026-03-03T08:00", condition: "" }, now)).toEqual({ ok: false, reason: "received_at_invalid" });
    expect(await snapshot(id)).toEqual(before);
    await receiveSamples({ ...as(id), receivedAt: "2026-03-02T08:00", condition: "" }, now);
    await startTesting(as(id), now);
    before = await snapshot(id);
    expect(await issueReport({ ...as(id), origin: "http://openlab.test" }, later(60))).toEqual({ ok: false, reason: "report_missing" });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await uploadReport({ ...as(id), file: new File([png], "report.pdf", { type: "application/pdf" }) }, later(60))).toEqual({ ok: false, reason: "not_pdf" });
    expect(await uploadReport({ ...as(id), file: new File([new Uint8Array(20 * 1024 * 1024 + 1)], "big.pdf") }, later(60))).toEqual({ ok: false, reason: "too_big" });
    expect(await uploadReport({ ...as(id), file: null }, later(60))).toEqual({ ok: false, reason: "missing" });
    expect(await snapshot(id)).toEqual(before);
    expect(before.job!.reportFileKey).toBeNull();
  });
});

describe("the report download", () => {
  it("serves the PDF to the customer organisation once issued and to the lab; refuses everyone else", async () => {
    const id = await requested();
    await acceptSampleJob(as(id), now);
    await receiveSamples({ ...as(id), receivedAt: "2026-03-02T08:00", condition: "" }, now);
    await startTesting(as(id), now);
    await uploadReport({ ...as(id), file: new File([pdf()], "x.pdf") }, later(30));
    const get = async (userId?: string, bookingId = id) => callRoute(reportRoute.loader, await getRequest(`/bookings/${bookingId}/report`, { userId }), { id: bookingId });
    const email = async (address: string) => (await d.db.select({ id: users.id }).from(users).where(eq(users.email, address)))[0]!.id;
    const [orgAdmin, labStaff, instAdmin, otherCustomer, platformAdmin] = await Promise.all(
      ["orgadmin@weina.openlab.test", "staff@zju.openlab.test", "inst-admin@zju.openlab.test", "customer@huadong.openlab.test", "admin@openlab.test"].map(email),
    );

    // Not issued yet: the customer's side sees nothing, the lab may check the upload.
    expect((await get(customer.userId)).status).toBe(404);
    expect((await get(labStaff)).status).toBe(200);
    await issueReport({ ...as(id), origin: "http://openlab.test" }, later(60));

    const own = await get(customer.userId);
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toBe("application/pdf");
    expect(own.headers.get("Content-Disposition")).toMatch(/^attachment; filename="BK-\d{4}-\d{6,}-report\.pdf"$/);
    expect(own.data.startsWith("%PDF")).toBe(true);
    expect((await get(orgAdmin)).status).toBe(200);
    expect((await get(instAdmin)).status).toBe(200);
    expect((await get(otherCustomer)).status).toBe(403);
    expect((await get(platformAdmin)).status).toBe(403);
    expect((await get()).status).toBe(302);
    expect((await get(customer.userId, "../../etc/passwd")).status).toBe(404);
    expect((await get(customer.userId, randomUUID())).status).toBe(404);
  });
});
