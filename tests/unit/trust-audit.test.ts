import { describe, expect, it } from "vitest";
import { auditCsvLine, auditFilterSchema, auditQueryString, changedFields } from "../../app/trust/audit";

describe("changedFields", () => {
  it("keeps only the fields whose value changed, before and after", () => {
    expect(changedFields({ feeText: "600 元/小时", nameZh: "透射电镜", model: "JEM" }, { feeText: "800 元/小时", nameZh: "透射电镜" })).toEqual({
      before: { feeText: "600 元/小时" },
      after: { feeText: "800 元/小时" },
    });
  });

  it("compares arrays and dates by value and answers null when nothing changed", () => {
    const at = new Date("2026-03-02T00:00:00Z");
    expect(changedFields({ modes: ["a", "b"], at }, { modes: ["a", "b"], at: new Date(at) })).toBeNull();
    expect(changedFields({ modes: ["a"] }, { modes: ["a", "b"] })).toEqual({ before: { modes: ["a"] }, after: { modes: ["a", "b"] } });
    expect(changedFields({}, { weeklyQuotaMinutes: null })).toBeNull();
    expect(changedFields({}, { bufferMinutes: 15 })).toEqual({ before: { bufferMinutes: null }, after: { bufferMinutes: 15 } });
  });
});

describe("the audit filter", () => {
  it("drops malformed values instead of failing", () => {
    expect(auditFilterSchema.parse({ from: "2026-13", action: "x'; drop", entityType: "Instrument!", page: "-3", actor: "  " })).toEqual({ page: 1 });
    // Shaped like dates but no day Postgres or the calendar has: dropped too, not a failed query.
    expect(auditFilterSchema.parse({ from: "2026-13-45", to: "0000-01-01" })).toEqual({ page: 1 });
    expect(auditFilterSchema.parse({ from: "2026-02-29", to: "9999-12-31" })).toEqual({ page: 1 });
    expect(auditFilterSchema.parse({ from: "2026-03-01", to: "2026-03-31", action: "instrument.update", entityType: "instrument", page: "2" })).toEqual({
      from: "2026-03-01",
      to: "2026-03-31",
      action: "instrument.update",
      entityType: "instrument",
      page: 2,
    });
  });

  it("writes the filter back as a query string without empty values", () => {
    expect(auditQueryString({ from: "2026-03-01", actor: "张", page: 3 }, 2)).toBe("?from=2026-03-01&actor=%E5%BC%A0&page=2");
    expect(auditQueryString({})).toBe("");
  });
});

describe("auditCsvLine", () => {
  it("writes JSON changes and guards cells a spreadsheet would run as formulas", () => {
    const line = auditCsvLine({
      at: new Date("2026-03-02T01:02:03Z"),
      actorEmail: "staff@zju.openlab.test",
      actorName: "李",
      organizationNameZh: "浙江大学",
      action: "instrument.update",
      entityType: "instrument",
      entityId: "abc",
      before: { feeText: "=1+1" },
      after: { feeText: "800" },
      ip: "203.0.113.7",
    });
    expect(line).toBe('2026-03-02T01:02:03.000Z,staff@zju.openlab.test,浙江大学,instrument.update,instrument,abc,"{""feeText"":""=1+1""}","{""feeText"":""800""}",203.0.113.7\r\n');
  });
});
