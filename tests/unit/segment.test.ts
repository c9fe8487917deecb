import { describe, expect, it } from "vitest";
import { modelTerms, searchDocument, segmentWords } from "../../app/catalogue/segment";

describe("segmentWords", () => {
  it("cuts Chinese text into words", () => {
    const words = segmentWords("场发射透射电子显微镜");
    expect(words).toContain("电子");
    expect(words).toContain("显微镜");
    expect(words.join("")).toBe("场发射透射电子显微镜");
  });

  it("lower-cases Latin words and drops spaces and punctuation", () => {
    expect(segmentWords("Field-emission TEM， 200kV；EDS！")).toEqual(["field", "emission", "tem", "200kv", "eds"]);
  });

  it("handles mixed Chinese and Latin text and empty input", () => {
    expect(segmentWords("X射线衍射仪 XRD")).toEqual(expect.arrayContaining(["x", "射线", "衍射", "xrd"]));
    expect(segmentWords("")).toEqual([]);
    expect(segmentWords(" ，。 ")).toEqual([]);
  });
});

describe("modelTerms", () => {
  it("gives the model compact and in its parts", () => {
    expect(modelTerms("JEM-2100F")).toEqual(["jem2100f", "jem", "2100f"]);
    expect(modelTerms("AVANCE III HD 400")).toEqual(["avanceiiihd400", "avance", "iii", "hd", "400"]);
  });

  it("does not repeat a one-word model", () => {
    expect(modelTerms("SU8010")).toEqual(["su8010"]);
    expect(modelTerms("  ")).toEqual([]);
  });
});

describe("searchDocument", () => {
  const doc = searchDocument({
    nameZh: "场发射透射电子显微镜",
    nameEn: "Field-emission transmission electron microscope",
    model: "JEM-2100F",
    manufacturer: "日本电子 JEOL",
    mainFunctions: "高分辨成像",
    specifications: "加速电压 200kV",
    serviceContent: "EDS 面扫",
  });

  it("puts names in a, model and maker in b, details in c", () => {
    expect(doc.a.split(" ")).toEqual(expect.arrayContaining(["透射", "电子", "显微镜", "transmission", "microscope"]));
    expect(doc.b.split(" ")).toEqual(expect.arrayContaining(["jem2100f", "jem", "2100f", "jeol", "日本"]));
    expect(doc.c.split(" ")).toEqual(expect.arrayContaining(["成像", "200kv", "eds"]));
    expect(doc.a).not.toContain("jem");
    expect(doc.c).not.toContain("显微镜");
  });
});
