/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-symbol
 * alphabet (no I, O, Z, S, V); the last is a mod-31 check character over the first 17.
 * Functions here are strict (upper case, no spaces): callers normalise user input first.
 */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const FORMAT = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export function creditCodeCheckCharacter(first17: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{17}$/.test(first17)) {
    throw new Error("expected 17 characters of the credit-code alphabet");
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(code: string): boolean {
  return FORMAT.test(code) && creditCodeCheckCharacter(code.slice(0, 17)) === code[17];
}

/**
 * Check character of the 9-character organisation code (GB 11714) that forms positions 9–17
 * of a credit code; letters count A=10 … Z=35, and 10 is written X.
 */
export function organizationCodeCheckCharacter(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) throw new Error("expected 8 digits or capital letters");
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(first8[i], 36) * weights[i];
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}
