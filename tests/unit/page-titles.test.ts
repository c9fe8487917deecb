import { describe, expect, it } from "vitest";
import * as home from "../../app/routes/_index";
import * as catalogue from "../../app/routes/instruments._index";
import * as instrumentPage from "../../app/routes/instruments.$slug";
import * as bookPage from "../../app/routes/instruments.$slug_.book";
import * as instrumentFees from "../../app/routes/instruments.$slug_.fees";
import * as samplesPage from "../../app/routes/instruments.$slug_.samples";
import * as labFees from "../../app/routes/labs.$slug_.fees";
import * as institutions from "../../app/routes/institutions._index";
import * as institutionPage from "../../app/routes/institutions.$slug";
import * as labPage from "../../app/routes/labs.$slug";

type Meta = (args: any) => { title?: string }[];
const titleOf = (meta: Meta, locale: string, data: unknown = null) =>
  meta({ data, matches: [{ id: "root", data: { locale } }], params: {}, location: { pathname: "/" }, error: undefined }).find((m) => m.title)!.title;

const organization = { nameZh: "浙江大学", nameEn: "Zhejiang University" };
const lab = { nameZh: "电镜中心", nameEn: "Electron Microscopy Centre" };
const instrument = { nameZh: "场发射透射电子显微镜", nameEn: "Field-emission TEM", model: "Talos F200X", manufacturer: "Thermo Fisher", mainFunctions: "高分辨成像", photos: [] };

describe("page titles", () => {
  it("are in the reader's language on the public pages", () => {
    expect(titleOf(home.meta as Meta, "en")).toBe("OpenLab — shared research instruments");
    expect(titleOf(home.meta as Meta, "zh-CN")).toBe("OpenLab 开放实验室 — 大型科研仪器共享平台");
    expect(titleOf(catalogue.meta as Meta, "en", { query: { q: "" } })).toBe("Instrument catalogue — OpenLab");
    expect(titleOf(catalogue.meta as Meta, "zh-CN", { query: { q: "电镜" } })).toBe("电镜 — OpenLab 仪器目录");
    expect(titleOf(institutions.meta as Meta, "en")).toBe("Institutions — OpenLab");
    expect(titleOf(institutionPage.meta as Meta, "en", { organization })).toBe("Zhejiang University — OpenLab");
    expect(titleOf(labPage.meta as Meta, "en", { lab, organization })).toBe("Electron Microscopy Centre · Zhejiang University — OpenLab");
    expect(titleOf(labPage.meta as Meta, "zh-CN", { lab, organization })).toBe("电镜中心 · 浙江大学 — OpenLab");
    const page = { instrument, organization, url: "http://localhost/instruments/tem", isPublic: true };
    expect(titleOf(instrumentPage.meta as Meta, "en", page)).toBe("Field-emission TEM Talos F200X — Zhejiang University | OpenLab");
    expect(titleOf(instrumentPage.meta as Meta, "zh-CN", page)).toBe("场发射透射电子显微镜 Talos F200X — 浙江大学 | OpenLab");
    expect(titleOf(bookPage.meta as Meta, "en", { instrument })).toBe("Field-emission TEM — Book | OpenLab");
    expect(titleOf(samplesPage.meta as Meta, "en", { instrument })).toBe("Field-emission TEM — Send samples | OpenLab");
    expect(titleOf(instrumentFees.meta as Meta, "en", { instrument })).toBe("Field-emission TEM · Fees — OpenLab");
    expect(titleOf(labFees.meta as Meta, "zh-CN", { lab })).toBe("电镜中心 · 收费标准 — OpenLab");
  });

  it("describe an instrument in the reader's language, with both names", () => {
    const page = { instrument, organization, url: "http://localhost/instruments/tem", isPublic: true };
    const described = (locale: string) =>
      (instrumentPage.meta as (args: any) => { name?: string; property?: string; content?: string }[])({ data: page, matches: [{ id: "root", data: { locale } }], params: {}, location: { pathname: "/" }, error: undefined });
    const en = described("en");
    expect(en.find((m) => m.name === "description")?.content).toBe("Field-emission TEM (场发射透射电子显微镜), Thermo Fisher Talos F200X, Zhejiang University. 高分辨成像");
    expect(en.find((m) => m.property === "og:description")?.content).toBe(en.find((m) => m.name === "description")?.content);
    expect(described("zh-CN").find((m) => m.name === "description")?.content).toBe("场发射透射电子显微镜（Field-emission TEM），Thermo Fisher Talos F200X，浙江大学。高分辨成像");
  });

  it("fall back to Chinese when the language is unknown", () => {
    expect(titleOf(institutions.meta as Meta, "fr")).toBe("机构名录 — OpenLab");
  });
});
