import { describe, expect, it } from "vitest";
import { readDirectoryQuery } from "../../app/catalogue/directory-query";
import { compactText, directoryUrl, highlight, highlightTerms, parseQuery, toggle, toTsquery } from "../../app/catalogue/search";

const synonyms = new Map<string, string[]>([
  ["电镜", ["电子显微镜"]],
  ["冷冻电镜", ["cryo-em", "冷冻透射电子显微镜"]],
  ["sem", ["扫描电子显微镜"]],
]);

describe("parseQuery", () => {
  it("turns a synonym into a group of alternatives", () => {
    const groups = parseQuery("电镜", synonyms);
    expect(groups).toEqual([{ alternatives: [["电", "镜"], ["电子", "显微镜"]] }]);
  });

  it("prefers the longest synonym", () => {
    const groups = parseQuery("冷冻电镜", synonyms);
    expect(groups).toHaveLength(1);
    expect(groups[0].alternatives).toContainEqual(["cryo", "em"]);
  });

  it("keeps words outside synonyms and is case-insensitive", () => {
    const groups = parseQuery("SEM 浙江", synonyms);
    expect(groups).toEqual([{ alternatives: [["sem"], ["扫描", "电子", "显微镜"]] }, { alternatives: [["浙江"]] }]);
  });

  it("matches a Latin synonym only as a whole word", () => {
    const withCt = new Map([["ct", ["计算机断层扫描"]]]);
    expect(parseQuery("mass spectrometer", withCt)).toEqual([{ alternatives: [["mass"]] }, { alternatives: [["spectrometer"]] }]);
    expect(parseQuery("显微CT", withCt)[0].alternatives).toContainEqual(["计算", "机", "断层", "扫描"]);
  });

  it("ignores empty and punctuation-only queries", () => {
    expect(parseQuery("   ", synonyms)).toEqual([]);
    expect(parseQuery("--- !!", synonyms)).toEqual([]);
  });
});

describe("toTsquery", () => {
  it("joins phrases with <-> and groups with &, quoting every lexeme", () => {
    const q = toTsquery(parseQuery("SEM 浙江", synonyms));
    expect(q).toBe("('sem':* | ('扫描' <-> '电子' <-> '显微镜')) & '浙江'");
  });

  it("escapes quotes so user text cannot break the tsquery", () => {
    expect(toTsquery([{ alternatives: [["o'neil"]] }])).toBe("'o''neil'");
  });

  it("returns null for nothing to search", () => {
    expect(toTsquery([])).toBeNull();
  });
});

describe("compactText", () => {
  it("removes punctuation so model numbers compare however typed", () => {
    expect(compactText("JEM-2100F")).toBe("jem2100f");
    expect(compactText("ICP-MS 7900")).toBe("icpms7900");
  });
});

describe("highlight", () => {
  it("marks every occurrence, case-insensitively", () => {
    expect(highlight("JEOL jeol", ["jeol"])).toEqual([
      { text: "JEOL", match: true },
      { text: " ", match: false },
      { text: "jeol", match: true },
    ]);
  });

  it("treats regex characters in terms literally", () => {
    expect(highlight("a.b axb", ["a.b"])).toEqual([
      { text: "a.b", match: true },
      { text: " axb", match: false },
    ]);
  });

  it("offers whole phrases before single words", () => {
    const terms = highlightTerms(parseQuery("电镜", synonyms));
    expect(terms[0]).toBe("电子显微镜");
  });
});

describe("directory query in the URL", () => {
  it("reads repeated facets and falls back on bad values", () => {
    const q = readDirectoryQuery(new URLSearchParams("q=NMR&category=0101&category=xx&mode=remote&page=-3&sort=bogus"));
    expect(q).toMatchObject({ q: "NMR", category: [], mode: ["remote"], page: 1, sort: undefined });
  });

  it("keeps valid categories", () => {
    expect(readDirectoryQuery(new URLSearchParams("category=0101&category=02")).category).toEqual(["0101", "02"]);
  });

  it("round-trips through directoryUrl and resets the page when filters change", () => {
    const q = readDirectoryQuery(new URLSearchParams("q=电镜&region=33&page=3"));
    const url = directoryUrl(q, { mode: toggle(q.mode, "remote") });
    expect(url).toBe(`/instruments?q=${encodeURIComponent("电镜")}&region=33&mode=remote`);
    expect(directoryUrl(q, { page: 4 })).toContain("page=4");
  });

  it("toggles a facet value off again", () => {
    expect(toggle(["a", "b"], "a")).toEqual(["b"]);
  });
});
