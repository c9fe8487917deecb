import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  creditCodeCheckCharacter,
  isValidCreditCode,
  organizationCodeCheckCharacter,
} from "../../app/accounts/credit-code";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const first17 = fc
  .array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 })
  .map((chars) => chars.join(""));

describe("creditCodeCheckCharacter", () => {
  it("computes the check character of published codes", () => {
    expect(creditCodeCheckCharacter("91350100M000100Y4")).toBe("3");
    expect(creditCodeCheckCharacter("91110108551385082")).toBe("Q");
    expect(creditCodeCheckCharacter("12100000400000624")).toBe("D");
  });

  it("uses the whole alphabet and maps a remainder of zero to 0, not to a 32nd symbol", () => {
    // Weighted sum 1 → 31 − 1 = 30 → "Y"; weighted sum 0 → 31 − 0 = 31 ≡ 0 → "0".
    expect(creditCodeCheckCharacter("10000000000000000")).toBe("Y");
    expect(creditCodeCheckCharacter("00000000000000000")).toBe("0");
  });

  it("rejects input outside the alphabet or of the wrong length", () => {
    expect(() => creditCodeCheckCharacter("9135010OM000100Y4")).toThrow();
    expect(() => creditCodeCheckCharacter("91350100M000100Y")).toThrow();
    expect(() => creditCodeCheckCharacter("91350100m000100y4")).toThrow();
  });
});

describe("isValidCreditCode", () => {
  it("accepts known valid codes", () => {
    expect(isValidCreditCode("91350100M000100Y43")).toBe(true);
    expect(isValidCreditCode("91110108551385082Q")).toBe(true);
    expect(isValidCreditCode("12100000400000624D")).toBe(true);
  });

  it("rejects a wrong check character, bad letters, bad length and unnormalised input", () => {
    expect(isValidCreditCode("91350100M000100Y44")).toBe(false);
    expect(isValidCreditCode("911100001000000007")).toBe(false);
    expect(isValidCreditCode("91350100M000100Y4")).toBe(false);
    expect(isValidCreditCode("91350100M000100Y433")).toBe(false);
    expect(isValidCreditCode("9135010OM000100Y43")).toBe(false);
    expect(isValidCreditCode("91350100m000100y43")).toBe(false);
    expect(isValidCreditCode(" 91350100M000100Y43")).toBe(false);
    expect(isValidCreditCode("")).toBe(false);
  });

  it("accepts any 17 characters followed by their check character", () => {
    fc.assert(fc.property(first17, (head) => isValidCreditCode(head + creditCodeCheckCharacter(head))));
  });

  it("detects every single-character substitution", () => {
    fc.assert(
      fc.property(first17, fc.nat(17), fc.nat(29), (head, position, shift) => {
        const code = head + creditCodeCheckCharacter(head);
        const replaced = ALPHABET[(ALPHABET.indexOf(code[position]) + 1 + shift) % 31];
        const changed = code.slice(0, position) + replaced + code.slice(position + 1);
        return !isValidCreditCode(changed);
      }),
    );
  });
});

describe("organizationCodeCheckCharacter", () => {
  it("matches the organisation codes inside published credit codes", () => {
    expect(organizationCodeCheckCharacter("M000100Y")).toBe("4");
    expect(organizationCodeCheckCharacter("55138508")).toBe("2");
    expect(organizationCodeCheckCharacter("40000062")).toBe("4");
  });

  it("writes 10 as X and 11 as 0", () => {
    expect(organizationCodeCheckCharacter("00000001")).toBe("9");
    expect(organizationCodeCheckCharacter("00000000")).toBe("0");
    expect(organizationCodeCheckCharacter("10000000")).toBe("8");
    expect(organizationCodeCheckCharacter("40000000")).toBe("X");
  });
});
