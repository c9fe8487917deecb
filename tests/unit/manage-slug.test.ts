import { describe, expect, it } from "vitest";
import { asciiSlug, firstFreeSlug, slugBase } from "../../app/catalogue/manage-slug";

describe("instrument slugs", () => {
  it("joins the lab slug and the model in lowercase ASCII with hyphens", () => {
    expect(slugBase("zju-emlab", "JEM-2100F", "Transmission electron microscope")).toBe("zju-emlab-jem-2100f");
    expect(slugBase("iccas-nmr", "Avance NEO 600 MHz", "")).toBe("iccas-nmr-avance-neo-600-mhz");
  });

  it("folds fullwidth letters and accents and drops Chinese", () => {
    expect(asciiSlug("ＪＥＭ－２１００")).toBe("jem-2100");
    expect(asciiSlug("Zeiss Ultra™ 55 ")).toBe("zeiss-ultratm-55");
    expect(asciiSlug("Bruker Ä/Ö")).toBe("bruker-a-o");
    expect(asciiSlug("透射电镜")).toBe("");
  });

  it("falls back to the English name, then to a generic word", () => {
    expect(slugBase("zju-atc", "型号待定", "X-ray diffractometer")).toBe("zju-atc-x-ray-diffractometer");
    expect(slugBase("zju-atc", "", "")).toBe("zju-atc-instrument");
  });

  it("stays within the length public URLs accept", () => {
    const base = slugBase("lab", "M".repeat(300), "");
    expect(base.length).toBeLessThanOrEqual(100);
    expect(base).toMatch(/^[a-z0-9-]+$/);
    expect(base.endsWith("-")).toBe(false);
  });

  it("appends -2, -3 … to a taken slug", () => {
    expect(firstFreeSlug("lab-x", [])).toBe("lab-x");
    expect(firstFreeSlug("lab-x", ["lab-x"])).toBe("lab-x-2");
    expect(firstFreeSlug("lab-x", ["lab-x", "lab-x-2", "lab-x-3"])).toBe("lab-x-4");
    expect(firstFreeSlug("lab-x", ["lab-x", "lab-x-3"])).toBe("lab-x-2");
    expect(firstFreeSlug("lab-x", ["lab-x-2"])).toBe("lab-x");
  });
});
