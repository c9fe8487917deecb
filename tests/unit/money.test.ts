import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../app/lib/format";
import { fenToWanYuanString, fenToYuanString, parseYuanToFen } from "../../app/lib/money";

describe("parseYuanToFen", () => {
  it.each([
    ["1280000", 128_000_000],
    ["1,280,000.5", 128_000_050],
    ["¥80.05", 8005],
    ["12万", 12_000_000],
    ["0.01元", 1],
  ])("%s → %i fen", (input, fen) => {
    expect(parseYuanToFen(input)).toBe(fen);
  });

  it.each(["", "-5", "1.234", "abc", "1e9", "12.3.4"])("refuses %j", (input) => {
    expect(parseYuanToFen(input)).toBeNull();
  });

  it("round-trips every amount through its yuan string", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (fen) => parseYuanToFen(fenToYuanString(fen)) === fen));
  });
});

describe("fenToWanYuanString", () => {
  it("formats 万元 with two decimals, rounding half up", () => {
    expect(fenToWanYuanString(1_234_500_000)).toBe("1234.50");
    expect(fenToWanYuanString(5_000)).toBe("0.01");
    expect(fenToWanYuanString(4_999)).toBe("0.00");
  });
});

describe("formatMoney", () => {
  it("shows yuan with two decimals and grouping", () => {
    expect(formatMoney(123_456_789, "zh-CN")).toBe("¥1,234,567.89");
    expect(formatMoney(5, "en")).toBe("¥0.05");
    expect(formatMoney(-150, "en")).toBe("-¥1.50");
  });
});
