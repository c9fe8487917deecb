import { describe, expect, it } from "vitest";
import { chineseCalendarBetween } from "../../app/availability/free-intervals";
import { lengthAtLeast } from "../../app/availability/slots";
import { readDirectoryQuery } from "../../app/catalogue/directory-query";
import { readFreeWindow } from "../../app/catalogue/free-window";
import { directoryUrl } from "../../app/catalogue/search";
import { defaultBookingSettings } from "../../app/booking/settings";

describe("readFreeWindow", () => {
  it("reads the window in China Standard Time", () => {
    const { window, errors } = readFreeWindow({ from: "2026-12-03T08:30", to: "2026-12-03T12:00", hours: "2.5" });
    expect(errors).toEqual({});
    expect(window).toEqual({ start: new Date("2026-12-03T00:30:00Z"), end: new Date("2026-12-03T04:00:00Z"), hours: 2.5 });
  });

  it("is no filter and no error when all three fields are empty", () => {
    expect(readFreeWindow({})).toEqual({ window: null, errors: {} });
    expect(readFreeWindow({ from: "", to: "", hours: "" })).toEqual({ window: null, errors: {} });
  });

  it.each([
    [{ from: "2026-12-03T12:00", to: "2026-12-03T08:00", hours: "1" }, { to: "free-window:error.endBeforeStart" }],
    [{ from: "2026-12-03T08:00", to: "2026-12-03T08:00", hours: "1" }, { to: "free-window:error.endBeforeStart" }],
    [{ from: "2026-12-03T08:00", to: "2026-12-03T12:00", hours: "0" }, { hours: "free-window:error.hoursPositive" }],
    [{ from: "2026-12-03T08:00", to: "2026-12-03T12:00", hours: "-2" }, { hours: "free-window:error.hoursPositive" }],
    [{ from: "2026-12-03T08:00", to: "2026-12-03T12:00", hours: "zwei" }, { hours: "free-window:error.hours" }],
    [{ from: "2026-12-03T08:00", to: "2026-12-03T12:00", hours: "5" }, { hours: "free-window:error.longerThanWindow" }],
    [{ from: "2026-12-01T00:00", to: "2027-01-01T00:01", hours: "1" }, { to: "free-window:error.tooLong" }],
    [{ from: "2026-02-30T08:00", to: "2026-03-03T12:00", hours: "1" }, { from: "free-window:error.date" }],
    [{ from: "2026-12-03 08:00", to: "2026-12-03T25:00", hours: "1" }, { from: "free-window:error.date", to: "free-window:error.date" }],
    [{ from: "2026-12-03T08:00", hours: "1" }, { to: "free-window:error.required" }],
    [{ hours: "1" }, { from: "free-window:error.required", to: "free-window:error.required" }],
  ])("refuses %j with %j", (fields, errors) => {
    expect(readFreeWindow(fields)).toEqual({ window: null, errors });
  });

  it("accepts exactly 31 days", () => {
    expect(readFreeWindow({ from: "2026-12-01T00:00", to: "2027-01-01T00:00", hours: "1" }).window).not.toBeNull();
  });
});

describe("lengthAtLeast", () => {
  const settings = { ...defaultBookingSettings, slotMinutes: 30, minLengthMinutes: 60, maxLengthMinutes: 240 };
  it("rounds up to whole slots and to the minimum length", () => {
    expect(lengthAtLeast(150, settings)).toBe(150);
    expect(lengthAtLeast(100, settings)).toBe(120);
    expect(lengthAtLeast(30, settings)).toBe(60);
    expect(lengthAtLeast(240, settings)).toBe(240);
  });
  it("is null beyond the maximum length", () => {
    expect(lengthAtLeast(241, settings)).toBeNull();
  });
});

describe("the window in the directory URL", () => {
  it("survives a round trip and a facet change", () => {
    const query = readDirectoryQuery(new URLSearchParams("q=电镜&from=2026-12-03T08:30&to=2026-12-03T12:00&hours=2&page=3"));
    expect(query).toMatchObject({ q: "电镜", from: "2026-12-03T08:30", to: "2026-12-03T12:00", hours: "2", page: 3 });
    const url = directoryUrl(query, { region: ["33"] });
    expect(url).toBe("/instruments?q=%E7%94%B5%E9%95%9C&region=33&from=2026-12-03T08%3A30&to=2026-12-03T12%3A00&hours=2");
    expect(directoryUrl(query, { from: undefined, to: undefined, hours: undefined })).toBe("/instruments?q=%E7%94%B5%E9%95%9C");
  });
});

describe("chineseCalendarBetween", () => {
  it("lists National Day 2026 and its make-up working days", () => {
    const { holidays, makeupWorkdays } = chineseCalendarBetween("2026-09-26", "2026-10-12");
    expect(holidays).toContain("2026-10-01");
    expect(holidays).not.toContain("2026-09-30");
    expect(makeupWorkdays.every((d) => d >= "2026-09-26" && d <= "2026-10-12")).toBe(true);
    expect(makeupWorkdays.length).toBeGreaterThan(0);
  });
});
