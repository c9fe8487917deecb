import { createInstance } from "i18next";
import { describe, expect, it, vi } from "vitest";
import { rememberLookupOrder, serverI18nConfig } from "../../app/lib/i18n.server";

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
