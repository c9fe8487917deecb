import { deflateRawSync } from "node:zlib";
import { and, asc, eq, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { instruments, labs, memberships, organizations, users } from "../../db/schema";
import { parseCsv } from "../../app/catalogue/csv";
import { parseQuery, toTsquery } from "../../app/catalogue/search";
import { exportInstruments, exportNational, templateFile } from "../../app/catalogue/export.server";
import { checkImport, importInstruments } from "../../app/catalogue/import.server";
import { columnHeader, instrumentColumns } from "../../app/catalogue/instrument-columns";
import type { Database } from "../../app/lib/db.server";
import { newCsrfToken } from "../../app/lib/session.server";
import * as importRoute from "../../app/routes/manage.labs.$labId.import";
import * as orgExportRoute from "../../app/routes/manage.institutions.$orgId.export";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, getRequest, sessionCookie } from "../support/requests";

let d: Database;
/** The demo lab staff, who runs every import of this file. */
const importer = { userId: "", ip: "127.0.0.1" };
let zju: { labId: string; organizationId: string };

beforeAll(async () => {
  // A database of its own: the demo lab is exported whole, and other files add look-alike test
  // instruments to it (same name, no model), which its import rightly flags as duplicate rows.
  d = await useTestDatabase({ isolated: true });
  const [lab] = await d.db.select({ labId: labs.id, organizationId: labs.organizationId }).from(labs).where(eq(labs.slug, "zju-emlab"));
  importer.userId = (await d.db.select({ id: users.id }).from(users).where(eq(users.email, "staff@zju.openlab.test")))[0]!.id;
  zju = lab;
});

/** A new organisation (optional) and lab of its own, so counts are not shared with other tests. */
async function newLab(organizationId?: string) {
  const tag = unique();
  const orgId =
    organizationId ??
    (await d.db.insert(organizations).values({ slug: `imp-org-${tag}`, nameZh: `导入测试大学${tag}`, nameEn: `Import U ${tag}`, type: "university", providerStatus: "accepted", regionCode: "330000" }).returning())[0].id;
  const [lab] = await d.db
    .insert(labs)
    .values({ slug: `imp-${tag}`, organizationId: orgId, nameZh: `导入测试实验室${tag}`, nameEn: `Import lab ${tag}`, contactName: "王老师", contactPhone: "0571-88888888", contactEmail: `lab-${tag}@example.com` })
    .returning();
  return lab;
}

async function bytesOf(body: ReadableStream<Uint8Array>) {
  return Buffer.from(await new Response(body).arrayBuffer());
}

/** Instruments of a lab as comparable record fields, in a stable order. */
async function recordsOf(labId: string) {
  const rows = await d.db.select().from(instruments).where(eq(instruments.labId, labId)).orderBy(asc(instruments.nameZh), asc(instruments.model), asc(instruments.manufacturer));
  return rows.map(({ id: _i, slug: _s, labId: _l, organizationId: _o, status: _st, suspensionReason: _r, photos: _p, searchVector: _v, searchText: _t, publishedAt: _pa, createdAt: _c, updatedAt: _u, ...record }) => record);
}

const countIn = async (labId: string) => (await d.db.select({ n: sql<number>`count(*)::int` }).from(instruments).where(eq(instruments.labId, labId)))[0].n;

/** A template-layout CSV with `rows` rows made by `cell(column, i)`. */
function csvOf(rows: number, cell: (key: string, i: number) => string) {
  const lines = [instrumentColumns.map(columnHeader).join(",")];
  for (let i = 0; i < rows; i++) lines.push(instrumentColumns.map((c) => cell(c.key, i)).join(","));
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`);
}
const exampleCell = (key: string, i: number) => {
  const c = instrumentColumns.find((x) => x.key === key)!;
  if (key === "model") return `M-${i}`;
  return c.example.replace(/,/g, " ");
};

describe("import", () => {
  it("imports a filled XLSX template as drafts with search vectors", async () => {
    const lab = await newLab();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf((await templateFile("xlsx")).body)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe("仪器名称（中文） / Name (zh)");
    expect(workbook.worksheets[1].name).toBe("填写说明 Instructions");
    const fill = (nameZh: string, nameEn: string, model: string, modes: string) =>
      sheet.addRow(instrumentColumns.map((c) => ({ nameZh, nameEn, model, serviceModes: modes })[c.key as "nameZh"] ?? c.example));
    fill("场发射扫描电子显微镜", "Field-emission SEM", "SU8010", "送样检测");
    fill("核磁共振波谱仪", "NMR spectrometer", "AVANCE III 600", "Operated by lab staff, remote");
    fill("X射线衍射仪", "X-ray diffractometer", "D8 ADVANCE", "self_operated");
    sheet.getRow(3).getCell(instrumentColumns.findIndex((c) => c.key === "originalValue") + 1).value = 1234567.8; // a number cell
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const check = await checkImport(lab.id, file);
    expect(check.issues).toEqual([]);
    expect(check.rowCount).toBe(3);
    expect(check.preview.map((p) => p.cells.model)).toEqual(["SU8010", "AVANCE III 600", "D8 ADVANCE"]);

    const outcome = await importInstruments(lab.id, file, importer, check.fileHash);
    expect(outcome).toMatchObject({ ok: true, count: 3 });
    const rows = await d.db.select().from(instruments).where(eq(instruments.labId, lab.id)).orderBy(asc(instruments.createdAt), asc(instruments.slug));
    expect(rows.map((r) => r.status)).toEqual(["draft", "draft", "draft"]);
    expect(rows.every((r) => r.searchVector && r.organizationId === lab.organizationId)).toBe(true);
    const nmr = rows.find((r) => r.model === "AVANCE III 600")!;
    expect(nmr.serviceModes).toEqual(["staff_operated", "remote"]);
    expect(nmr.originalValueFen).toBe(123_456_780);
    expect(nmr.slug).toBe(`${lab.slug}-avance-iii-600`);
    const [hit] = await d.db.select({ n: sql<number>`count(*)::int` }).from(instruments).where(and(eq(instruments.labId, lab.id), sql`search_vector @@ to_tsquery('simple', ${toTsquery(parseQuery("核磁共振", new Map()))})`));
    expect(hit.n).toBe(1);

    // The same file again: the rows get -2 slugs instead of failing.
    expect(await importInstruments(lab.id, file, importer)).toMatchObject({ ok: true, count: 3 });
    const slugs = (await d.db.select({ slug: instruments.slug }).from(instruments).where(eq(instruments.labId, lab.id))).map((r) => r.slug);
    expect(slugs).toContain(`${lab.slug}-avance-iii-600-2`);
  });

  it("round-trips a lab's export (CSV and XLSX) into another lab with the same records", async () => {
    const source = await recordsOf(zju.labId);
    expect(source.length).toBeGreaterThan(3);
    for (const format of ["csv", "xlsx"] as const) {
      const file = await bytesOf((await exportInstruments({ labId: zju.labId }, format)).body);
      if (format === "csv") expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const target = await newLab();
      const outcome = await importInstruments(target.id, file, importer);
      expect(outcome.ok ? [] : outcome.check.issues).toEqual([]);
      expect(await recordsOf(target.id)).toEqual(source);
    }
  });

  it("imports nothing when one row is bad, and names the row and column", async () => {
    const lab = await newLab();
    const file = csvOf(5, (key, i) => (i === 3 && key === "categoryCode" ? "9999" : exampleCell(key, i)));
    const outcome = await importInstruments(lab.id, file, importer);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.check.issues).toEqual([{ row: 5, column: "categoryCode", message: "catalogue:validation.category" }]);
    expect(await countIn(lab.id)).toBe(0);
  });

  it("imports 10,000 rows in one transaction", async () => {
    const lab = await newLab();
    const file = csvOf(10_000, exampleCell);
    const started = performance.now();
    const outcome = await importInstruments(lab.id, file, importer);
    const ms = Math.round(performance.now() - started);
    console.log(`10,000-row import on ${d.kind}: ${ms} ms (${file.length} bytes)`);
    expect(outcome).toMatchObject({ ok: true, count: 10_000 });
    expect(await countIn(lab.id)).toBe(10_000);
  });

  it("refuses a file over the row limit with the count, and writes nothing", async () => {
    const lab = await newLab();
    const file = csvOf(100_001, (key, i) => (key === "model" ? String(i) : "x"));
    const outcome = await importInstruments(lab.id, file, importer);
    expect(outcome.ok ? [] : outcome.check.issues).toEqual([{ row: null, column: null, message: "import:error.tooManyRows", params: { count: 100_001, max: 10_000 } }]);
    expect(await countIn(lab.id)).toBe(0);
  });

  it("refuses files that are not spreadsheets, too large, or zip bombs", async () => {
    const lab = await newLab();
    const issue = async (bytes: Buffer) => (await checkImport(lab.id, bytes)).issues.map((i) => i.message);
    expect(await issue(Buffer.from("%PDF-1.7\n\u0000\u0001binary"))).toEqual(["import:error.notSpreadsheet"]);
    expect(await issue(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toEqual(["import:error.notSpreadsheet"]);
    expect(await issue(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]))).toEqual(["import:error.notSpreadsheet"]);
    expect(await issue(Buffer.alloc(20 * 1024 * 1024 + 1, 0x41))).toEqual(["import:error.tooLarge"]);
    // An entry that declares 3 GB uncompressed.
    expect(await issue(zip([{ name: "xl/worksheets/sheet1.xml", data: deflateRawSync(Buffer.alloc(1000)), declared: 3_000_000_000 }]))).toEqual(["import:error.zipBomb"]);
    // An entry that lies: declares 1 KB but inflates to 50 MB of zeros.
    const lying = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
    expect(await issue(zip([{ name: "xl/worksheets/sheet1.xml", data: lying, declared: 1024 }]))).toEqual(["import:error.zipBomb"]);
    expect(await countIn(lab.id)).toBe(0);
  });

  it("reads a GB18030 CSV as Excel on Chinese Windows saves it", async () => {
    const lab = await newLab();
    // English headers; the Chinese name and service mode in GB18030 bytes.
    const gb = Buffer.concat([
      Buffer.from("Name (zh),Name (en),Category code,Original value (CNY),Service modes\r\n"),
      Buffer.from("b3a1b7a2c9e4cdb8c9e4b5e7d7d3cfd4cea2beb5", "hex"),
      Buffer.from(",FE-TEM,0101,100,"),
      Buffer.from("cbcdd1f9bcecb2e2", "hex"),
      Buffer.from("\r\n"),
    ]);
    const check = await checkImport(lab.id, gb);
    expect(check.issues).toEqual([]);
    expect(check.preview[0].cells).toMatchObject({ nameZh: "场发射透射电子显微镜", serviceModes: "送样检测" });
  });
});

describe("national export", () => {
  it("lists original value in 万元 with two decimals, JSON and XLSX", async () => {
    const lab = await newLab();
    const file = csvOf(2, (key, i) => (key === "originalValue" ? ["1234500", "99999.99"][i] : exampleCell(key, i)));
    expect(await importInstruments(lab.id, file, importer)).toMatchObject({ ok: true });

    const json = JSON.parse((await bytesOf((await exportNational(lab.organizationId, "json")).body)).toString("utf8"));
    expect(json).toHaveLength(2);
    const byModel = new Map(json.map((r: Record<string, string>) => [r["规格型号"], r]));
    expect(byModel.get("M-0")).toMatchObject({ "原值（万元）": "123.45", 仪器名称: "场发射透射电子显微镜", 仪器分类代码: "0101", 运行状态: "正常", 共享模式: "外部共享", 联系人: "王老师", 所在地区代码: "330000" });
    expect((byModel.get("M-1") as Record<string, string>)["原值（万元）"]).toBe("10.00");

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf((await exportNational(lab.organizationId, "xlsx")).body)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toContain("原值（万元）");
    const values = [2, 3].map((r) => sheet.getRow(r).getCell(header.indexOf("原值（万元）") + 1).value);
    expect(values.sort()).toEqual(["10.00", "123.45"]);
  });
});

/** A new user with one membership. */
async function member(role: "lab_staff" | "institution_admin", organizationId: string, labId: string | null) {
  const [u] = await d.db.insert(users).values({ email: `${role}-${unique()}@example.com`, passwordHash: "x", displayName: "测试", emailVerifiedAt: new Date() }).returning({ id: users.id });
  await d.db.insert(memberships).values({ userId: u.id, organizationId, role, labId });
  return u.id;
}

/** A multipart upload as the import form sends it, with a valid session and CSRF token. */
async function upload(path: string, fields: Record<string, string>, file: Buffer, userId: string) {
  const csrf = newCsrfToken();
  const form = new FormData();
  form.set("_csrf", csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", new File([new Uint8Array(file)], "instruments.csv", { type: "text/csv" }));
  return new Request(new URL(path, "http://localhost"), { method: "POST", body: form, headers: { Cookie: await sessionCookie({ userId, csrf }) } });
}

describe("routes", () => {
  it("checks, then imports only the previewed file, for the lab's staff only", async () => {
    const lab = await newLab();
    const staff = await member("lab_staff", lab.organizationId, lab.id);
    const outsider = await member("lab_staff", zju.organizationId, zju.labId);
    const path = `/manage/labs/${lab.id}/import`;
    const params = { labId: lab.id };
    const file = csvOf(3, exampleCell);

    const checked = await callRoute(importRoute.action, await upload(path, { intent: "check" }, file, staff), params);
    expect(checked.status).toBe(200);
    expect(checked.data.check).toMatchObject({ ok: true, rowCount: 3 });
    expect(await countIn(lab.id)).toBe(0);

    const other = csvOf(4, exampleCell);
    const changed = await callRoute(importRoute.action, await upload(path, { intent: "import", fileHash: checked.data.check.fileHash }, other, staff), params);
    expect(changed.data).toMatchObject({ changed: true, check: { ok: true, rowCount: 4 } });
    expect(await countIn(lab.id)).toBe(0);

    const bad = await callRoute(importRoute.action, await upload(path, { intent: "check" }, Buffer.from("\u0000\u0001\u0002"), staff), params);
    expect(bad.status).toBe(400);
    expect(bad.data.check.issues[0].message).toBe("import:error.notSpreadsheet");

    const forbidden = await callRoute(importRoute.action, await upload(path, { intent: "import", fileHash: checked.data.check.fileHash }, file, outsider), params);
    expect(forbidden.status).toBe(403);

    const imported = await callRoute(importRoute.action, await upload(path, { intent: "import", fileHash: checked.data.check.fileHash }, file, staff), params);
    expect(imported.status).toBe(302);
    expect(imported.headers.get("Location")).toBe(`/manage/labs/${lab.id}`);
    expect(await countIn(lab.id)).toBe(3);
  });

  it("gives the institution's exports to its admin only", async () => {
    const lab = await newLab();
    const admin = await member("institution_admin", lab.organizationId, null);
    const staff = await member("lab_staff", lab.organizationId, lab.id);
    await importInstruments(lab.id, csvOf(2, exampleCell), importer);
    const path = `/manage/institutions/${lab.organizationId}/export?format=national-json`;
    const ok = await callRoute(orgExportRoute.loader, await getRequest(path, { userId: admin }), { orgId: lab.organizationId });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Content-Disposition")).toMatch(/attachment; filename="national-imp-org-.*\.json"/);
    expect(JSON.parse(ok.data)).toHaveLength(2);
    const csv = await callRoute(orgExportRoute.loader, await getRequest(path.replace("national-json", "csv"), { userId: admin }), { orgId: lab.organizationId });
    expect(parseCsv(csv.data.replace(/^\uFEFF/, ""))).toHaveLength(3);
    const denied = await callRoute(orgExportRoute.loader, await getRequest(path, { userId: staff }), { orgId: lab.organizationId });
    expect(denied.status).toBe(403);
    const unknown = await callRoute(orgExportRoute.loader, await getRequest(path.replace("national-json", "pdf"), { userId: admin }), { orgId: lab.organizationId });
    expect(unknown.status).toBe(400);
  });
});

/** A minimal ZIP (deflate entries) whose central directory declares `declared` uncompressed bytes. */
function zip(entries: { name: string; data: Buffer; declared: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.declared >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.declared >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
