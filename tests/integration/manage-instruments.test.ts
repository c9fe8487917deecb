import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { instruments, labs, memberships, users } from "../../db/schema";
import { instrumentPage } from "../../app/catalogue/instruments.server";
import type { Database } from "../../app/lib/db.server";
import { env } from "../../app/lib/env.server";
import { newCsrfToken } from "../../app/lib/session.server";
import * as adminRoute from "../../app/routes/admin.instruments";
import * as dashboardRoute from "../../app/routes/manage._index";
import * as photosRoute from "../../app/routes/manage.instruments.$id.photos";
import * as editRoute from "../../app/routes/manage.instruments.$id._index";
import * as labRoute from "../../app/routes/manage.labs.$labId._index";
import * as newRoute from "../../app/routes/manage.labs.$labId.instruments.new";
import * as uploadsRoute from "../../app/routes/uploads.$";
import { unique, useTestDatabase } from "../support/db";
import { callRoute, formRequest, getRequest, sessionCookie } from "../support/requests";

let d: Database;
const ids = {} as Record<"staff" | "instAdmin" | "platformAdmin" | "otherStaff" | "otherInstAdmin" | "customer" | "emlab" | "atc" | "iccasNmr", string>;

async function userId(email: string) {
  const [u] = await d.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u.id;
}
async function labId(slug: string) {
  const [l] = await d.db.select({ id: labs.id, organizationId: labs.organizationId }).from(labs).where(eq(labs.slug, slug));
  return l;
}
/** A new user with one membership (lab staff of a lab, or institution admin of an organisation). */
async function member(role: "lab_staff" | "institution_admin", organizationId: string, lab: string | null) {
  const [u] = await d.db
    .insert(users)
    .values({ email: `${role}-${unique()}@example.com`, passwordHash: "x", displayName: "测试", emailVerifiedAt: new Date() })
    .returning({ id: users.id });
  await d.db.insert(memberships).values({ userId: u.id, organizationId, role, labId: lab });
  return u.id;
}

beforeAll(async () => {
  d = await useTestDatabase();
  const [emlab, atc, nmr] = await Promise.all([labId("zju-emlab"), labId("zju-atc"), labId("iccas-nmr")]);
  Object.assign(ids, {
    staff: await userId("staff@zju.openlab.test"),
    instAdmin: await userId("inst-admin@zju.openlab.test"),
    platformAdmin: await userId("admin@openlab.test"),
    customer: await userId("customer@weina.openlab.test"),
    otherStaff: await member("lab_staff", nmr.organizationId, nmr.id),
    otherInstAdmin: await member("institution_admin", nmr.organizationId, null),
    emlab: emlab.id,
    atc: atc.id,
    iccasNmr: nmr.id,
  });
});

/** A complete record as the form sends it; `over` replaces fields. */
function record(over: Record<string, string> = {}) {
  const tag = unique();
  return {
    nameZh: `场发射透射电子显微镜${tag}`,
    nameEn: `Field emission TEM ${tag}`,
    model: `JEM-${tag}`,
    manufacturer: "JEOL",
    countryOfOrigin: "日本",
    categoryCode: "0101",
    originalValue: "12800000.00",
    purchaseDate: "2019-05-20",
    commissioningDate: "2019-09-01",
    fundingSource: "中央高校改善基本办学条件专项",
    specifications: "点分辨率 0.19 nm",
    mainFunctions: "材料微观结构表征",
    serviceContent: "形貌观察、选区电子衍射",
    sampleRequirements: "粉末或薄膜样品",
    serviceModes: "staff_operated",
    feeText: "校外 800 元/小时",
    operatingStatus: "normal",
    shareMode: "external",
    intent: "save",
    ...over,
  };
}

async function create(lab: string, asUser: string, fields = record()) {
  return callRoute(newRoute.action, await formRequest(`/manage/labs/${lab}/instruments/new`, fields, { userId: asUser }), { labId: lab });
}

async function createdId(answer: { status: number; headers: Headers }) {
  expect(answer.status).toBe(302);
  return answer.headers.get("Location")!.split("/").pop()!;
}

async function row(id: string) {
  const [r] = await d.db.select().from(instruments).where(eq(instruments.id, id));
  return r;
}

const post = async (id: string, fields: Record<string, string>, asUser: string) =>
  callRoute(editRoute.action, await formRequest(`/manage/instruments/${id}`, fields, { userId: asUser }), { id });

describe("creating, editing and publishing", () => {
  it("lets lab staff create a draft with a readable slug, unique on collision", async () => {
    const fields = record();
    const first = await createdId(await create(ids.emlab, ids.staff, fields));
    const second = await createdId(await create(ids.emlab, ids.staff, { ...fields, nameZh: `${fields.nameZh}二号` }));
    const [a, b] = [await row(first), await row(second)];
    expect(a.slug).toBe(`zju-emlab-${fields.model.toLowerCase()}`);
    expect(b.slug).toBe(`${a.slug}-2`);
    expect(a).toMatchObject({ status: "draft", labId: ids.emlab, originalValueFen: 1_280_000_000, purchaseDate: "2019-05-20", serviceModes: ["staff_operated"] });
    expect(await instrumentPage(a.slug, null), "a draft is not public").toBeNull();
  });

  it("edits the record, publishes it, and the public page shows it", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    const edited = record({ nameZh: `冷冻电镜${unique()}`, serviceModes: "sample_submission" });
    const saved = await callRoute(
      editRoute.action,
      await formRequest(`/manage/instruments/${id}`, edited, { userId: ids.staff }).then((r) => r),
      { id },
    );
    expect(saved.status).toBe(302);
    const after = await row(id);
    expect(after.nameZh).toBe(edited.nameZh);
    expect(after.searchText).toContain(edited.nameZh.toLowerCase());
    expect(after.serviceModes).toEqual(["sample_submission"]);

    expect((await post(id, { intent: "publish" }, ids.staff)).status).toBe(302);
    const published = await row(id);
    expect(published.status).toBe("published");
    expect(published.publishedAt).not.toBeNull();
    expect((await instrumentPage(published.slug, null))?.instrument.nameZh).toBe(edited.nameZh);

    expect((await post(id, { intent: "unpublish" }, ids.staff)).status).toBe(302);
    expect(await row(id)).toMatchObject({ status: "draft", publishedAt: null });
    const again = await post(id, { intent: "unpublish" }, ids.staff);
    expect(again.status).toBe(400);
    expect(again.data.errors._form).toBe("manage:status.errors.notAllowed");
  });

  it("retires from the lab's table and returns there", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    const answer = await post(id, { intent: "retire", returnTo: "lab" }, ids.staff);
    expect(answer.headers.get("Location")).toBe(`/manage/labs/${ids.emlab}`);
    expect((await row(id)).status).toBe("retired");
    expect((await post(id, { intent: "publish" }, ids.staff)).status).toBe(400);
  });
});

describe("suspension by the platform", () => {
  it("needs a reason, shows it to the lab, and only the platform lifts it", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    await post(id, { intent: "publish" }, ids.staff);
    const suspend = (fields: Record<string, string>, asUser = ids.platformAdmin) =>
      formRequest("/admin/instruments", { id, ...fields }, { userId: asUser }).then((r) => callRoute(adminRoute.action, r));

    const noReason = await suspend({ intent: "suspend", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.error).toBe("validation.required");
    expect((await row(id)).status).toBe("published");
    // Postgres text cannot hold NUL: refused at the field, not a 500.
    const withNul = await suspend({ intent: "suspend", reason: "a\u0000b" });
    expect(withNul.status).toBe(400);
    expect(withNul.data.error).toBe("validation.invalid");
    expect((await row(id)).status).toBe("published");

    expect((await suspend({ intent: "suspend", reason: "收费标准与备案不符" }, ids.staff)).status).toBe(403);
    expect((await suspend({ intent: "suspend", reason: "收费标准与备案不符" })).status).toBe(302);
    expect(await row(id)).toMatchObject({ status: "suspended", suspensionReason: "收费标准与备案不符" });

    const labPage = await callRoute(labRoute.loader, await getRequest(`/manage/labs/${ids.emlab}`, { userId: ids.staff }), { labId: ids.emlab });
    expect(labPage.data.instruments.find((i: { id: string }) => i.id === id)).toMatchObject({ status: "suspended", suspensionReason: "收费标准与备案不符" });

    for (const intent of ["publish", "unpublish", "retire"]) expect((await post(id, { intent }, ids.staff)).status).toBe(400);
    expect((await row(id)).status).toBe("suspended");

    const listed = await callRoute(adminRoute.loader, await getRequest("/admin/instruments?status=suspended", { userId: ids.platformAdmin }));
    expect(listed.data.items.some((i: { id: string }) => i.id === id)).toBe(true);
    expect(listed.data.items.every((i: { status: string }) => i.status === "suspended")).toBe(true);

    expect((await suspend({ intent: "lift" })).status).toBe(302);
    expect(await row(id)).toMatchObject({ status: "published", suspensionReason: null });
  });
});

describe("who may manage which lab", () => {
  it("refuses lab staff of another lab, customers and anonymous visitors", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    const before = await row(id);
    const asOther = await callRoute(editRoute.loader, await getRequest(`/manage/instruments/${id}`, { userId: ids.otherStaff }), { id });
    expect(asOther.status).toBe(403);
    expect((await post(id, record({ nameZh: "被篡改" }), ids.otherStaff)).status).toBe(403);
    expect((await post(id, { intent: "publish" }, ids.otherStaff)).status).toBe(403);
    expect((await post(id, { intent: "publish" }, ids.customer)).status).toBe(403);
    expect((await create(ids.emlab, ids.otherStaff)).status).toBe(403);
    expect((await callRoute(labRoute.loader, await getRequest(`/manage/labs/${ids.emlab}`, { userId: ids.otherStaff }), { labId: ids.emlab })).status).toBe(403);
    const anonymous = await callRoute(editRoute.loader, await getRequest(`/manage/instruments/${id}`), { id });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await row(id)).toEqual(before);
  });

  it("answers 404 for unknown or malformed ids", async () => {
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      expect((await callRoute(editRoute.loader, await getRequest(`/manage/instruments/${id}`, { userId: ids.staff }), { id })).status).toBe(404);
    }
  });

  it("lets an institution admin run every lab of the institution, and no other", async () => {
    const dashboard = await callRoute(dashboardRoute.loader, await getRequest("/manage", { userId: ids.instAdmin }));
    const slugs = dashboard.data.labs.map((l: { slug: string }) => l.slug);
    expect(slugs).toEqual(expect.arrayContaining(["zju-emlab", "zju-atc", "zju-bioimg"]));
    expect(slugs).not.toContain("iccas-nmr");
    const staffDashboard = await callRoute(dashboardRoute.loader, await getRequest("/manage", { userId: ids.staff }));
    expect(staffDashboard.data.labs.map((l: { slug: string }) => l.slug)).toEqual(["zju-emlab"]);

    const id = await createdId(await create(ids.atc, ids.instAdmin));
    expect((await row(id)).slug).toMatch(/^zju-atc-jem-/);
    expect((await post(id, { intent: "publish" }, ids.instAdmin)).status).toBe(302);
    expect((await create(ids.iccasNmr, ids.instAdmin)).status).toBe(403);
    expect((await create(ids.atc, ids.otherInstAdmin)).status).toBe(403);
    expect((await post(id, { intent: "unpublish" }, ids.otherInstAdmin)).status).toBe(403);
    expect((await row(id)).status).toBe("published");
  });
});

describe("bad record input", () => {
  const count = async (nameZh: string) => (await d.db.select({ id: instruments.id }).from(instruments).where(eq(instruments.nameZh, nameZh))).length;

  it.each([
    ["unknown category code", { categoryCode: "999999" }, "categoryCode", "catalogue:validation.category"],
    ["negative value", { originalValue: "-5" }, "originalValue", "catalogue:validation.amount"],
    ["absurd value", { originalValue: "99999999999" }, "originalValue", "catalogue:validation.amountTooLarge"],
    ["purchase date in the future", { purchaseDate: "2999-01-01", commissioningDate: "" }, "purchaseDate", "catalogue:validation.futureDate"],
    ["commissioning before purchase", { purchaseDate: "2020-03-01", commissioningDate: "2020-02-01" }, "commissioningDate", "catalogue:validation.commissioningBeforePurchase"],
    ["unknown service mode", { serviceModes: "teleportation" }, "serviceModes", "catalogue:validation.serviceMode"],
    ["missing name", { nameEn: "" }, "nameEn", "validation.required"],
  ])("%s is a field error and nothing is written", async (_what, over, field, message) => {
    const fields = record(over);
    const answer = await create(ids.emlab, ids.staff, fields);
    expect(answer.status).toBe(400);
    expect(answer.data.errors[field]).toBe(message);
    expect(answer.data.values.nameZh, "the user's input comes back").toBe(fields.nameZh);
    expect(await count(fields.nameZh)).toBe(0);
  });

  it("keeps the stored record when an edit is invalid", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    const before = await row(id);
    const answer = await post(id, record({ originalValue: "-1", nameZh: "不应保存" }), ids.staff);
    expect(answer.status).toBe(400);
    expect(answer.data.errors.originalValue).toBe("catalogue:validation.amount");
    expect(await row(id)).toEqual(before);
  });
});

describe("photos", () => {
  const png = (seed: number) => sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: seed, g: 120, b: 200 } } }).png().toBuffer();
  const uploadsDir = (id: string) => path.join(env().DATA_DIR, "uploads", "instruments", id);
  const filesOf = (id: string) => (existsSync(uploadsDir(id)) ? readdirSync(uploadsDir(id)).sort() : []);

  async function upload(id: string, files: Buffer[], asUser = ids.staff) {
    const csrf = newCsrfToken();
    const body = new FormData();
    body.set("_csrf", csrf);
    body.set("intent", "upload");
    files.forEach((f, i) => body.append("photo", new File([new Uint8Array(f)], `photo-${i}.png`, { type: "image/png" })));
    const request = new Request(`http://localhost/manage/instruments/${id}/photos`, {
      method: "POST",
      body,
      headers: { Cookie: await sessionCookie({ userId: asUser, csrf }) },
    });
    return callRoute(photosRoute.action, request, { id });
  }
  const button = async (id: string, fields: Record<string, string>) =>
    callRoute(photosRoute.action, await formRequest(`/manage/instruments/${id}/photos`, fields, { userId: ids.staff }), { id });
  const serve = async (url: string, asUser?: string) =>
    callRoute(uploadsRoute.loader, await getRequest(url, { userId: asUser }), { "*": url.replace(/^\/uploads\//, "") });

  it("stores a resized webp and thumbnail, served to managers until the instrument is public", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    expect((await upload(id, [await png(10)])).status).toBe(302);
    const [url] = (await row(id)).photos;
    expect(url).toMatch(new RegExp(`^/uploads/instruments/${id}/[0-9a-f-]{36}\\.webp$`));
    expect(filesOf(id)).toHaveLength(2);

    expect((await serve(url)).status, "a draft's photo is not public").toBe(404);
    const asStaff = await serve(url, ids.staff);
    expect(asStaff.status).toBe(200);
    expect(asStaff.headers.get("Content-Type")).toBe("image/webp");
    expect(asStaff.headers.get("Cache-Control")).toMatch(/^private/);

    await post(id, { intent: "publish" }, ids.staff);
    const thumb = await serve(url.replace(/\.webp$/, "-thumb.webp"));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("Cache-Control")).toContain("immutable");
    expect(await serve(`/uploads/instruments/${id}/../../secret.pdf`)).toMatchObject({ status: 404 });
  });

  it("refuses a non-image, an oversize file and a 9th photo, writing nothing", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    const notImage = await upload(id, [Buffer.from("%PDF-1.4 this is not a photo")]);
    expect(notImage.status).toBe(400);
    expect(notImage.data.errors.photo).toBe("manage:photos.errors.notImage");
    const oversize = await upload(id, [Buffer.alloc(11 * 1024 * 1024, 1)]);
    expect(oversize.status).toBe(400);
    expect(oversize.data.errors.photo).toBe("manage:photos.errors.tooLarge");
    expect((await row(id)).photos).toEqual([]);
    expect(filesOf(id)).toEqual([]);

    const eight = await Promise.all([...Array(8).keys()].map((i) => png(i * 20)));
    expect((await upload(id, eight.slice(0, 7))).status).toBe(302);
    expect((await upload(id, [eight[7]])).status).toBe(302);
    const full = await row(id);
    expect(full.photos).toHaveLength(8);
    const filesBefore = filesOf(id);
    expect(filesBefore).toHaveLength(16);
    const ninth = await upload(id, [await png(250)]);
    expect(ninth.status).toBe(400);
    expect(ninth.data.errors.photo).toBe("manage:photos.errors.tooMany");
    expect((await row(id)).photos).toEqual(full.photos);
    expect(filesOf(id)).toEqual(filesBefore);
  });

  it("reorders and deletes photos, removing the files", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    await upload(id, [await png(1), await png(2)]);
    const [first, second] = (await row(id)).photos;
    expect((await button(id, { intent: "down", url: first })).status).toBe(302);
    expect((await row(id)).photos).toEqual([second, first]);
    expect((await button(id, { intent: "down", url: first })).status, "already last").toBe(400);
    expect((await button(id, { intent: "delete", url: second })).status).toBe(302);
    expect((await row(id)).photos).toEqual([first]);
    expect(filesOf(id).some((f) => second.includes(f.replace("-thumb", "")))).toBe(false);
    expect(filesOf(id)).toHaveLength(2);
    expect((await button(id, { intent: "delete", url: "/uploads/instruments/x.webp" })).status).toBe(404);
  });

  it("refuses uploads from staff of another lab", async () => {
    const id = await createdId(await create(ids.emlab, ids.staff));
    expect((await upload(id, [await png(5)], ids.otherStaff)).status).toBe(403);
    expect((await row(id)).photos).toEqual([]);
  });
});
