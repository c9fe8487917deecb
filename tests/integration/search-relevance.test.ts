import { beforeAll, describe, expect, it } from "vitest";
import { readDirectoryQuery } from "../../app/catalogue/directory-query";
import { clearSynonymCache, searchDirectory } from "../../app/catalogue/search.server";
import { useTestDatabase } from "../support/db";

/** Each query, in Chinese or English, and the demo instrument that must be among the first three. */
const cases: [string, string][] = [
  ["电镜", "su8010-zju-emlab"],
  ["透射电镜", "jem-2100f-zju-emlab"],
  ["TEM", "talos-f200x-zju-emlab"],
  ["JEM2100", "jem-2100f-zju-emlab"],
  ["冷冻电镜", "titan-krios-zju-emlab"],
  ["cryo-EM", "titan-krios-zju-emlab"],
  ["扫描电镜", "su8010-zju-emlab"],
  ["NMR", "avance-iii-hd-400-iccas-nmr"],
  ["核磁", "avance-iii-hd-400-iccas-nmr"],
  ["XRD", "d8-advance-nanoctr-matchar"],
  ["X射线衍射", "d8-advance-nanoctr-matchar"],
  ["ICP-MS", "icp-ms-7900-iccas-ms"],
  ["GC-MS", "gcms-7890b-5977b-iccas-ms"],
  ["拉曼", "labram-hr-evolution-nanoctr-matchar"],
  ["Raman", "labram-hr-evolution-nanoctr-matchar"],
  ["流式细胞仪", "cytoflex-lx-zju-bioimg"],
  ["sequencer", "novaseq-6000-zju-bioimg"],
  ["显微CT", "skyscan-1272-nanoctr-matchar"],
  ["XPS", "escalab-250xi-nanoctr-matchar"],
  ["atomic force microscope", "dimension-icon-nanoctr-matchar"],
  ["confocal microscope", "lsm-980-zju-bioimg"],
  ["红外光谱", "nicolet-is50-zju-atc"],
  ["热重", "tga-55-nanoctr-matchar"],
  ["electron beam lithography", "jbx-6300fs-nanoctr-nanofab"],
  ["SU-8010", "su8010-zju-emlab"],
];

beforeAll(async () => {
  // Its own database: other files publish instruments that would compete in the ranking.
  await useTestDatabase({ isolated: true });
  clearSynonymCache();
});

async function search(params: string) {
  return searchDirectory(readDirectoryQuery(new URLSearchParams(params)));
}

describe("search relevance over the demo catalogue", () => {
  it.each(cases)("%s finds %s in the top 3", async (q, slug) => {
    const result = await search(`q=${encodeURIComponent(q)}`);
    const top = result.items.slice(0, 3).map((i) => i.slug);
    expect(top, `top 3 for ${q}: ${top.join(", ")}`).toContain(slug);
  });
});

describe("directory search", () => {
  it("never lists drafts or suspended instruments", async () => {
    const result = await search("q=" + encodeURIComponent("扫描电子显微镜"));
    const slugs = result.items.map((i) => i.slug);
    expect(slugs).not.toContain("em6900-zju-emlab");
    const drafts = await search("q=" + encodeURIComponent("台阶仪"));
    expect(drafts.items.map((i) => i.slug)).not.toContain("dektak-xt-nanoctr-nanofab");
  });

  it("counts facets over the matching instruments", async () => {
    const result = await search("q=NMR");
    const modes = Object.fromEntries(result.facets.mode.map((f) => [f.key, f.n]));
    expect(result.total).toBeGreaterThanOrEqual(3);
    expect(result.facets.category.reduce((sum, f) => sum + f.n, 0)).toBe(result.total);
    expect(Math.max(...Object.values(modes))).toBeLessThanOrEqual(result.total);
  });

  it("narrows by facets, ANDed across facets", async () => {
    const all = await search("");
    const zhejiang = await search("region=33");
    const zhejiangRemote = await search("region=33&mode=remote");
    expect(zhejiang.total).toBeLessThan(all.total);
    expect(zhejiangRemote.total).toBeLessThanOrEqual(zhejiang.total);
    expect(zhejiang.items.every((i) => i.regionCode?.startsWith("33"))).toBe(true);
  });

  it("suggests the closest instruments when nothing matches", async () => {
    const result = await search("q=" + encodeURIComponent("JEM2100Q-XX"));
    if (result.total === 0) expect(result.suggestions.length).toBeGreaterThan(0);
    const none = await search("q=" + encodeURIComponent("量子纠缠望远镜"));
    expect(none.total).toBe(0);
    expect(none.suggestions.length).toBeGreaterThan(0);
  });

  it("survives hostile query text", async () => {
    for (const q of ["'", "\\", "&|!():*", "a' & 'b", "<->", "%", "电镜'); drop table instruments; --"]) {
      const result = await search("q=" + encodeURIComponent(q));
      expect(result.total).toBeGreaterThanOrEqual(0);
    }
  });

  it("pages past the end report the total and no items", async () => {
    const result = await search("page=400");
    expect(result.items).toHaveLength(0);
    expect(result.total).toBeGreaterThan(40);
  });
});
