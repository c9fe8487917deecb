import { createInstance } from "i18next";
import { describe, expect, it, vi } from "vitest";
import { rememberAnswers, rememberLookupOrder, serverI18nConfig } from "../../app/lib/i18n.server";

async function translations() {
  const instance = createInstance();
  await instance.init({ ...serverI18nConfig });
  return instance;
}

describe("the remembered language lookup order", () => {
  it("translates exactly as i18next does, in both languages and with the Chinese fallback", async () => {
    const plain = await translations();
    const remembered = rememberLookupOrder(await translations());
    for (const lng of ["zh-CN", "en"]) {
      const a = plain.cloneInstance({ lng });
      const b = remembered.cloneInstance({ lng });
      for (const key of ["nav.instruments", "nav.signOut", "reserve:book.title", "no.such.key"]) {
        expect(b.t(key, { name: "TEM" })).toBe(a.t(key, { name: "TEM" }));
      }
      expect(b.languages).toEqual(a.languages);
    }
    expect(remembered.cloneInstance({ lng: "en" }).t("nav.instruments")).not.toBe(remembered.cloneInstance({ lng: "zh-CN" }).t("nav.instruments"));
  });

  it("works the order out once per language, for the instance and its clones", async () => {
    const instance = await translations();
    const utils = instance.services.languageUtils as { toResolveHierarchy(code: string): string[] };
    const work = vi.spyOn(utils, "toResolveHierarchy");
    rememberLookupOrder(instance);
    const page = instance.cloneInstance({ lng: "zh-CN" });
    for (let i = 0; i < 50; i++) page.t("nav.instruments");
    const other = instance.cloneInstance({ lng: "zh-CN" });
    for (let i = 0; i < 50; i++) other.t("nav.signOut");
    expect(work.mock.calls.filter(([code]) => code === "zh-CN")).toHaveLength(1);
  });

  it("hands out a copy, so a caller changing it cannot change the next answer", async () => {
    const instance = rememberLookupOrder(await translations());
    const utils = instance.services.languageUtils as { toResolveHierarchy(code: string): string[] };
    utils.toResolveHierarchy("en").push("xx");
    expect(utils.toResolveHierarchy("en")).toEqual(["en", "zh-CN"]);
  });
});

describe("the remembered answers of a page's translations", () => {
  type Translate = (...args: unknown[]) => unknown;
  const translatorOf = (instance: { cloneInstance: unknown }) => (instance as unknown as { translator: { translate: Translate } }).translator;

  it("answers exactly as i18next does: plain keys, values, counts, namespaces and missing keys, in both languages", async () => {
    const plain = await translations();
    const base = await translations();
    for (const lng of ["zh-CN", "en"]) {
      const a = plain.cloneInstance({ lng });
      const b = rememberAnswers(base.cloneInstance({ lng }));
      for (const ns of ["common", ["reserve", "training"]]) {
        const ta = a.getFixedT(lng, ns);
        const tb = b.getFixedT(lng, ns);
        for (let round = 0; round < 2; round++) {
          for (const key of ["nav.instruments", "book.title", "training:series.weeksOption", "no.such.key"]) {
            expect(tb(key)).toBe(ta(key));
            expect(tb(key, { name: "TEM" })).toBe(ta(key, { name: "TEM" }));
            for (const count of [1, 3]) expect(tb(key, { count })).toBe(ta(key, { count }));
          }
        }
      }
    }
  });

  it("looks a call up once, and again only when a value is not plain text, a number or a boolean", async () => {
    const page = (await translations()).cloneInstance({ lng: "zh-CN" });
    const translator = translatorOf(page);
    const work = vi.fn(translator.translate.bind(translator));
    translator.translate = work;
    const t = rememberAnswers(page).getFixedT("zh-CN", "training");
    for (let i = 0; i < 20; i++) t("series.weeksOption", { count: 3 });
    expect(work).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 20; i++) t("series.weeksOption", { count: 4 });
    expect(work).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 20; i++) t("series.weeksOption", { count: 3, context: { any: "object" } });
    expect(work).toHaveBeenCalledTimes(22);
  });

  it("hands each caller its own object when a call asks for one", async () => {
    const t = rememberAnswers((await translations()).cloneInstance({ lng: "en" })).getFixedT("en", "common");
    const first = t("nav", { returnObjects: true }) as Record<string, string>;
    const second = t("nav", { returnObjects: true }) as Record<string, string>;
    expect(typeof first).toBe("object");
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });
});
