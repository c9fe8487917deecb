import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { accreditations, accreditationWarnings, auditLog, instruments, labs, memberships, organizations, users } from "../../db/schema";
import type { Database } from "../../app/lib/db.server";
import { newCsrfToken } from "../../app/lib/session.server";
import { searchDirectory } from "../../app/catalogue/search.server";
import { readDirectoryQuery } from "../../app/catalogue/directory-query";
import * as labPage from "../../app/routes/manage.labs.$labId.accreditations";
import * as instrumentPage from "../../app/routes/manage.instruments.$id.accreditations";
import * as certificateRoute from "../../app/routes/accreditations.$id.certificate[.]pdf";
import { sendExpiryWarnings, shownAccreditations } from "../../app/trust/accreditations.server";
import { deliverQueued, emailJobs } from "../support/accounts";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, getRequest, sessionCookie } from "../support/requests";

let d: Database;
const seeded = {} as { staff: string; labId: string; orgSlug: string; otherStaff: string; otherLabId: string; instrumentIds: string[]; otherInstrumentId: string };

beforeAll(async () => {
  d = await useTestDatabase();
  const staffOf = async (email: string) => {
    const [row] = await d.db
      .select({ userId: users.id, labId: memberships.labId })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(and(eq(users.email, email), eq(memberships.role, "lab_staff")));
    return { userId: row.userId, labId: row.labId! };
  };
  const zju = await staffOf("staff@zju.openlab.test");
  const iccas = await staffOf("staff@iccas.openlab.test");
  const [org] = await d.db.select({ slug: organizations.slug }).from(labs).innerJoin(organizations, eq(organizations.id, labs.organizationId)).where(eq(labs.id, zju.labId));
  const own = await d.db.select({ id: instruments.id }).from(instruments).where(and(eq(instruments.labId, zju.labId), eq(instruments.status, "published"))).orderBy(instruments.slug);
  const [other] = await d.db.select({ id: instruments.id }).from(instruments).where(eq(instruments.labId, iccas.labId)).limit(1);
  Object.assign(seeded, { staff: zju.userId, labId: zju.labId, orgSlug: org.slug, otherStaff: iccas.userId, otherLabId: iccas.labId, instrumentIds: own.map((i) => i.id), otherInstrumentId: other.id });
});

function pdfBytes(size = 800) {
  const bytes = new Uint8Array(size);
  bytes.set(new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"));
  return bytes;
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

function fields(over: Record<string, string> = {}) {
  return { intent: "add", kind: "cnas", certificateNumber: `CNAS L${unique()}`, issuer: "中国合格评定国家认可委员会", scope: "电子显微镜形貌分析", validFrom: day(-30), validTo: day(700), ...over };
}

/** A multipart POST as the browser sends the form, with the certificate as a file part. */
async function post(path: string, userId: string, form: Record<string, string>, file: Uint8Array<ArrayBuffer> | null = pdfBytes(), fileName = "CNAS证书.pdf") {
  const csrf = newCsrfToken();
  const body = new FormData();
  body.set("_csrf", csrf);
  for (const [k, v] of Object.entries(form)) body.set(k, v);
  if (file) body.set("certificate", new File([file], fileName, { type: "application/pdf" }));
  return new Request(`http://localhost${path}`, { method: "POST", body, headers: { Cookie: await sessionCookie({ userId, csrf }) } });
}

const addToLab = async (form: Record<string, string>, file?: Uint8Array<ArrayBuffer> | null, userId = seeded.staff, labId = seeded.labId) =>
  callRoute(labPage.action, await post(`/manage/labs/${labId}/accreditations`, userId, form, file), { labId });

const byNumber = (certificateNumber: string) => d.db.select().from(accreditations).where(eq(accreditations.certificateNumber, certificateNumber));

describe("lab staff keep accreditations", () => {
  it("adds a CNAS accreditation with its PDF; it is audited, downloadable by anyone and shown", async () => {
    const form = fields();
    const answer = await addToLab(form);
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    const [row] = await byNumber(form.certificateNumber);
    expect(row).toMatchObject({ labId: seeded.labId, instrumentId: null, kind: "cnas", issuer: form.issuer, validFrom: form.validFrom, validTo: form.validTo, certificateFileName: "CNAS证书.pdf", createdBy: seeded.staff });
    const [audit] = await d.db.select().from(auditLog).where(and(eq(auditLog.entityType, "accreditation"), eq(auditLog.entityId, row.id)));
    expect(audit).toMatchObject({ action: "accreditation.create", actorUserId: seeded.staff });

    const download = await callRoute(certificateRoute.loader, await getRequest(`/accreditations/${row.id}/certificate.pdf`), { id: row.id });
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(download.headers.get("Content-Disposition")).toContain("attachment");
    expect((await shownAccreditations(seeded.labId, null, new Date())).map((a) => a.id)).toContain(row.id);

    const page = await callRoute(labPage.loader, await getRequest(`/manage/labs/${seeded.labId}/accreditations`, { userId: seeded.staff }), { labId: seeded.labId });
    expect(page.data.accreditations.map((a: { id: string }) => a.id)).toContain(row.id);
  });

  it("refuses an end before the start, a missing, non-PDF or oversized certificate: nothing is written", async () => {
    const cases: [Record<string, string>, Uint8Array<ArrayBuffer> | null, string, string][] = [
      [fields({ validFrom: day(10), validTo: day(5) }), pdfBytes(), "validTo", "accreditation:validation.endBeforeStart"],
      [fields({ validFrom: "2026-02-30" }), pdfBytes(), "validFrom", "accreditation:validation.date"],
      [fields(), null, "certificate", "accreditation:validation.certificateRequired"],
      [fields(), new TextEncoder().encode("<html><script>alert(1)</script></html>") as Uint8Array<ArrayBuffer>, "certificate", "accreditation:validation.certificateNotPdf"],
      [fields(), pdfBytes(10 * 1024 * 1024 + 1), "certificate", "accreditation:validation.certificateTooBig"],
      [fields({ kind: "iso9001" }), pdfBytes(), "kind", "validation.choice"],
    ];
    for (const [form, file, field, message] of cases) {
      const answer = await addToLab(form, file);
      expect(answer.status).toBe(400);
      expect(answer.data.errors[field]).toBe(message);
      expect(answer.data.values.certificateNumber).toBe(form.certificateNumber);
      expect(await byNumber(form.certificateNumber)).toHaveLength(0);
    }
  });

  it("refuses another lab's instrument and another lab's accreditation id; nothing changes", async () => {
    const foreign = fields({ instrumentId: seeded.otherInstrumentId });
    const refused = await addToLab(foreign);
    expect(refused.status).toBe(400);
    expect(refused.data.errors._form).toBe("accreditation:validation.notYours");
    expect(await byNumber(foreign.certificateNumber)).toHaveLength(0);

    const theirs = fields();
    expect((await addToLab(theirs, pdfBytes(), seeded.otherStaff, seeded.otherLabId)).status).toBe(302);
    const [row] = await byNumber(theirs.certificateNumber);
    const removal = await addToLab({ intent: "remove", accreditationId: row.id }, null);
    expect(removal.status).toBe(400);
    expect(removal.data.errors._form).toBe("accreditation:validation.notYours");
    expect(await byNumber(theirs.certificateNumber)).toHaveLength(1);

    // Staff of one lab cannot open another lab's page at all.
    const page = await callRoute(labPage.loader, await getRequest(`/manage/labs/${seeded.otherLabId}/accreditations`, { userId: seeded.staff }), { labId: seeded.otherLabId });
    expect(page.status).toBe(403);
  });

  it("an instrument's own accreditation shows on that instrument and filters the directory; an expired one does not", async () => {
    const [mine, neighbour] = seeded.instrumentIds;
    const form = fields({ kind: "other", intent: "add" });
    const added = await callRoute(instrumentPage.action, await post(`/manage/instruments/${mine}/accreditations`, seeded.staff, form), { id: mine });
    expect(added.status, JSON.stringify(added.data)).toBe(302);
    const [row] = await byNumber(form.certificateNumber);
    expect(row.instrumentId).toBe(mine);

    const expired = fields({ kind: "iso17025", validFrom: day(-400), validTo: day(-1) });
    expect((await addToLab(expired)).status).toBe(302);

    expect((await shownAccreditations(seeded.labId, mine, new Date())).map((a) => a.certificateNumber)).toContain(form.certificateNumber);
    expect((await shownAccreditations(seeded.labId, neighbour, new Date())).map((a) => a.certificateNumber)).not.toContain(form.certificateNumber);
    expect((await shownAccreditations(seeded.labId, null, new Date())).map((a) => a.certificateNumber)).not.toContain(expired.certificateNumber);

    const other = await searchDirectory(readDirectoryQuery(new URLSearchParams({ org: seeded.orgSlug, accreditation: "other" })));
    const ids = await d.db.select({ id: instruments.id, slug: instruments.slug }).from(instruments);
    const slugOf = (id: string) => ids.find((i) => i.id === id)!.slug;
    expect(other.items.map((i) => i.slug)).toContain(slugOf(mine));
    expect(other.items.map((i) => i.slug)).not.toContain(slugOf(neighbour));
    expect(other.items.find((i) => i.slug === slugOf(mine))!.accreditations).toContain("other");

    const all = await searchDirectory(readDirectoryQuery(new URLSearchParams({ org: seeded.orgSlug })));
    const counts = Object.fromEntries(all.facets.accreditation.map((f) => [f.key, f.n]));
    expect(counts.other).toBeGreaterThanOrEqual(1);
    expect(counts.cnas).toBeGreaterThanOrEqual(1);
    // The lab's ISO/IEC 17025 certificate has expired: its instruments do not carry it.
    expect(other.items.find((i) => i.slug === slugOf(mine))!.accreditations).not.toContain("iso17025");
  });

  it("removes its own accreditation with an audit row", async () => {
    const form = fields({ kind: "cma" });
    await addToLab(form);
    const [row] = await byNumber(form.certificateNumber);
    const answer = await addToLab({ intent: "remove", accreditationId: row.id }, null);
    expect(answer.status).toBe(302);
    expect(await byNumber(form.certificateNumber)).toHaveLength(0);
    const [audit] = await d.db.select().from(auditLog).where(and(eq(auditLog.entityId, row.id), eq(auditLog.action, "accreditation.delete")));
    expect(audit.before).toMatchObject({ certificateNumber: form.certificateNumber });
  });
});

describe("expiry warnings", () => {
  it("warns the lab 60 and 30 days before expiry, each once", async () => {
    const form = fields({ kind: "cma", validTo: day(45) });
    expect((await addToLab(form)).status).toBe(302);
    const [row] = await byNumber(form.certificateNumber);
    const warnings = () => d.db.select().from(accreditationWarnings).where(eq(accreditationWarnings.accreditationId, row.id));

    await sendExpiryWarnings(new Date());
    expect((await warnings()).map((w) => w.daysBefore)).toEqual([60]);
    await sendExpiryWarnings(new Date());
    expect(await warnings()).toHaveLength(1);

    // Twenty days later the 30-day warning is due, once.
    const later = new Date(Date.now() + 20 * 86_400_000);
    await sendExpiryWarnings(later);
    await sendExpiryWarnings(later);
    expect((await warnings()).map((w) => w.daysBefore).sort()).toEqual([30, 60]);

    const jobs = (await emailJobs(d, "staff@zju.openlab.test")).filter((j) => j.props.certificateNumber === form.certificateNumber);
    expect(jobs.map((j) => j.props.days).sort()).toEqual([30, 60]);
    const mails = await deliverQueued(d, "staff@zju.openlab.test");
    const mail = mails.find((m: { subject: string }) => m.subject.includes(form.certificateNumber) && m.subject.includes("60"));
    expect(mail!.text).toContain(form.validTo);
  });
});
