import { describe, expect, it } from "vitest";
import { fitLabel } from "~/lib/format";

describe("fitLabel", () => {
  it("keeps a name that fits", () => {
    expect(fitLabel("X-ray diffractometer", 170, 12)).toBe("X-ray diffractometer");
    expect(fitLabel("场发射扫描电子显微镜", 170, 12)).toBe("场发射扫描电子显微镜");
  });

  it("shortens a long name with an ellipsis, counting CJK characters as wider", () => {
    const latin = fitLabel("Field-emission transmission electron microscope", 170, 12);
    expect(latin.endsWith("…")).toBe(true);
    expect(latin.length).toBeLessThan(26);
    const cjk = fitLabel("球差校正场发射透射电子显微镜及其配套能谱仪", 170, 12);
    expect(cjk).toBe("球差校正场发射透射电子显微…");
  });
});
