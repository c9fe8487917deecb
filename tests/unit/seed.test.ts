import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isValidCreditCode } from "../../app/accounts/credit-code";
import { instrumentStatuses, membershipRoles, operatingStatuses, serviceModes } from "../../db/schema";
import { categoriesCsvPath, loadCategories, parseCategoriesCsv } from "../../db/seed/categories";
import { demoLabs, demoOrganizations, demoUsers, searchSynonymRows } from "../../db/seed/data";
import {
  DEFAULT_SEED,
  demoInstrumentPlans,
  extraInstrumentPlan,
  extraInstrumentPlans,
  extraLab,
  extraOrganization,
} from "../../db/seed/generate";
import { createRandom, hashSeed } from "../../db/seed/random";
import { provinces } from "../../db/seed/regions";
import { instrumentTemplates } from "../../db/seed/templates";

const categoryCodes = new Set(loadCategories().map((c) => c.code));

describe("random", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(createRandom(43).next()).not.toBe(createRandom(42).next());
  });

  it("keeps int within its bounds and shuffle a permutation", () => {
    const rng = createRandom(7);
    const ints = Array.from({ length: 2000 }, () => rng.int(3, 6));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6]));
    const items = Array.from({ length: 30 }, (_, i) => i);
    const shuffled = rng.shuffle(items);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(() => rng.pick([])).toThrow();
  });

  it("hashes parts into distinct seeds", () => {
    expect(hashSeed(1, "instrument", 5)).toBe(hashSeed(1, "instrument", 5));
    expect(hashSeed(1, "instrument", 5)).not.toBe(hashSeed(1, "instrument", 6));
    expect(hashSeed(1, "instrument", 15)).not.toBe(hashSeed(1, "instrument1", 5));
  });
});

describe("categories", () => {
  it("parses the bundled CSV with levels from the code length", () => {
    const rows = loadCategories();
    expect(rows.length).toBeGreaterThan(80);
    for (const row of rows) {
      expect(row.level).toBe(row.code.length / 2);
      if (row.level > 1) expect(categoryCodes.has(row.parentCode!)).toBe(true);
      else expect(row.parentCode).toBeNull();
    }
  });

  it("rejects a malformed file", () => {
    expect(() => parseCategoriesCsv("code,name\n01,x")).toThrow(/header/);
    expect(() => parseCategoriesCsv("code,parent,name_zh,name_en\n01,,a,b,c")).toThrow(/row 2/);
  });

  // The shared classification sits beside the repository on development and CI machines only.
  const shared = new URL("../../../shared/data/instrument-categories.csv", import.meta.url);
  it("ships the national classification, identical to the shared list where that is present", () => {
    const shipped = readFileSync(categoriesCsvPath, "utf8");
    expect(parseCategoriesCsv(shipped).length).toBeGreaterThanOrEqual(90);
    if (existsSync(shared)) expect(shipped).toBe(readFileSync(shared, "utf8"));
  });
});

describe("templates", () => {
  it("has 40+ complete templates with existing categories and unique keys", () => {
    expect(instrumentTemplates.length).toBeGreaterThanOrEqual(40);
    expect(new Set(instrumentTemplates.map((t) => t.key)).size).toBe(instrumentTemplates.length);
    for (const t of instrumentTemplates) {
      expect(categoryCodes.has(t.category), `${t.key}: ${t.category}`).toBe(true);
      expect(t.modes.length).toBeGreaterThan(0);
      for (const m of t.modes) expect(serviceModes).toContain(m);
      for (const text of [t.nameZh, t.nameEn, t.model, t.manufacturer, t.country, t.specs, t.functions, t.service, t.samples]) {
        expect(text.trim()).not.toBe("");
      }
      expect(t.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe("demo data", () => {
  it("is the same on every run", () => {
    expect(demoInstrumentPlans()).toEqual(demoInstrumentPlans());
    expect(demoInstrumentPlans(DEFAULT_SEED + 1)).not.toEqual(demoInstrumentPlans());
  });

  it("places 48 instruments in the demo labs, 2 drafts and 1 suspended with a reason", () => {
    const plans = demoInstrumentPlans();
    expect(plans).toHaveLength(48);
    expect(plans.filter((p) => p.status === "draft")).toHaveLength(2);
    const suspended = plans.filter((p) => p.status === "suspended");
    expect(suspended).toHaveLength(1);
    expect(suspended[0].suspensionReason).toBeTruthy();
    expect(plans.filter((p) => p.status === "published")).toHaveLength(45);
    const labSlugs = new Set(demoLabs.map((l) => l.slug));
    for (const lab of demoLabs) expect(plans.some((p) => p.labSlug === lab.slug), lab.slug).toBe(true);
    for (const p of plans) expect(labSlugs.has(p.labSlug)).toBe(true);
    expect(plans.map((p) => p.slug)).toContain("jem-2100f-zju-emlab");
  });

  it("has providers of each kind, customers, a government body, all with valid unique credit codes", () => {
    const byType = (type: string) => demoOrganizations.filter((o) => o.type === type);
    expect(demoOrganizations.filter((o) => o.provider)).toHaveLength(3);
    expect(byType("university")).toHaveLength(1);
    expect(byType("institute")).toHaveLength(1);
    expect(byType("national_centre")).toHaveLength(1);
    expect(byType("enterprise")).toHaveLength(3);
    expect(byType("enterprise").filter((o) => o.isSme)).toHaveLength(1);
    expect(byType("government")).toHaveLength(2);
    for (const org of demoOrganizations) {
      expect(isValidCreditCode(org.creditCode), org.slug).toBe(true);
      expect(org.regionCode).toMatch(/^\d{6}$/);
    }
    expect(new Set(demoOrganizations.map((o) => o.creditCode)).size).toBe(demoOrganizations.length);
    const providers = new Set(demoOrganizations.filter((o) => o.provider).map((o) => o.slug));
    for (const lab of demoLabs) expect(providers.has(lab.orgSlug)).toBe(true);
  });

  it("has a user for every role, each pointing at an existing organisation and lab", () => {
    const roles = new Set(demoUsers.map((u) => u.role));
    for (const role of [...membershipRoles, "platform_admin"]) expect(roles.has(role as never), role).toBe(true);
    for (const u of demoUsers) {
      if (u.role === "platform_admin") continue;
      expect(demoOrganizations.some((o) => o.slug === u.orgSlug)).toBe(true);
      if (u.role === "lab_staff") expect(demoLabs.find((l) => l.slug === u.labSlug)?.orgSlug).toBe(u.orgSlug);
      else expect(u.labSlug).toBeUndefined();
    }
    expect(new Set(demoUsers.map((u) => u.email)).size).toBe(demoUsers.length);
  });

  it("stores synonyms both ways, Latin terms in lower case", () => {
    const has = (term: string, expansion: string) =>
      searchSynonymRows.some((r) => r.term === term && r.expansion === expansion);
    expect(has("sem", "扫描电子显微镜")).toBe(true);
    expect(has("扫描电子显微镜", "sem")).toBe(true);
    expect(has("冷冻电镜", "cryo-em")).toBe(true);
    expect(has("cryo-em", "冷冻电镜")).toBe(true);
    for (const r of searchSynonymRows) {
      expect(r.term).toBe(r.term.toLowerCase());
      expect(has(r.expansion, r.term)).toBe(true);
    }
  });
});

describe("bulk data", () => {
  const plans = extraInstrumentPlans(0, 3000);

  it("is the same on every run and does not depend on where a batch starts", () => {
    expect(extraInstrumentPlans(0, 3000)).toEqual(plans);
    expect(extraInstrumentPlans(1234, 10)).toEqual(plans.slice(1234, 1244));
    expect(extraInstrumentPlan(2999)).toEqual(plans[2999]);
  });

  it("uses existing categories, allowed enum values and unique slugs", () => {
    const slugs = new Set([...demoInstrumentPlans(), ...plans].map((p) => p.slug));
    expect(slugs.size).toBe(48 + plans.length);
    for (const p of plans) {
      expect(categoryCodes.has(p.categoryCode)).toBe(true);
      expect(instrumentStatuses).toContain(p.status);
      expect(operatingStatuses).toContain(p.operatingStatus);
      expect(p.serviceModes.length).toBeGreaterThan(0);
      expect(p.originalValueFen).toBeGreaterThan(0);
      expect(p.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*-\d+$/);
      expect(p.commissioningDate > p.purchaseDate).toBe(true);
      expect(p.status === "suspended").toBe(p.suspensionReason !== null);
    }
    expect(plans.filter((p) => p.status === "published").length / plans.length).toBeGreaterThan(0.9);
  });

  it("spreads organisations over all provinces with valid unique credit codes and slugs", () => {
    const orgs = Array.from({ length: 600 }, (_, i) => extraOrganization(i));
    expect(new Set(orgs.map((o) => o.regionCode)).size).toBe(provinces.length);
    expect(new Set(orgs.map((o) => o.slug)).size).toBe(orgs.length);
    expect(new Set(orgs.map((o) => o.creditCode)).size).toBe(orgs.length);
    for (const org of orgs) expect(isValidCreditCode(org.creditCode)).toBe(true);
    const demoSlugs = new Set(demoOrganizations.map((o) => o.slug));
    expect(orgs.some((o) => demoSlugs.has(o.slug))).toBe(false);
  });

  it("gives each organisation four distinct labs starting with its analysis centre", () => {
    for (let org = 0; org < 50; org++) {
      const labs = [0, 1, 2, 3].map((j) => extraLab(org * 4 + j));
      expect(labs[0].kind).toBe("analysis");
      expect(new Set(labs.map((l) => l.kind)).size).toBe(4);
      expect(new Set(labs.map((l) => l.orgSlug))).toEqual(new Set([extraOrganization(org).slug]));
    }
  });
});
