import { describe, expect, it } from "vitest";
import { fitLabel, formatPeriod } from "~/lib/format";

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

describe("a period", () => {
  it("names its date once when it starts and ends on the same day of the lab's zone", () => {
    const period = { start: "2026-12-14T00:00:00Z", end: "2026-12-14T10:00:00Z" };
    expect(formatPeriod(period, "zh-CN", "Asia/Shanghai")).toBe("2026年12月14日 08:00 – 18:00");
    // The same instants are two days in New York.
    expect(formatPeriod(period, "en", "America/New_York")).toBe("Dec 13, 2026, 7:00 PM – Dec 14, 2026, 5:00 AM");
  });
});
