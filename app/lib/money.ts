/**
 * Amounts are integer fen. Text typed by people ("1,234.5", "¥80", "12万") is turned into fen by
 * string arithmetic, never through a float.
 */
export function parseYuanToFen(input: string): number | null {
  const text = input.trim().replace(/[,，\s¥￥]/g, "").replace(/元$/, "");
  const wan = /万$/.test(text);
  const digits = wan ? text.slice(0, -1) : text;
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(digits);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  const value = wan ? fen * 10_000 : fen;
  return Number.isSafeInteger(value) ? value : null;
}

/** Fen as a plain decimal string in yuan ("123456" → "1234.56"), for forms and exports. */
export function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Fen in 万元 with two decimals, as the national platform lists original values. */
export function fenToWanYuanString(fen: number): string {
  // 1 万元 = 1,000,000 fen; round half up on the third decimal, in integers.
  const hundredths = Math.floor((Math.abs(fen) + 5_000) / 10_000);
  const sign = fen < 0 ? "-" : "";
  return `${sign}${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}
