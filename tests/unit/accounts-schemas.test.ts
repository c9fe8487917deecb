import { describe, expect, it } from "vitest";
import { creditCodeCheckCharacter } from "../../app/accounts/credit-code";
import {
  forgotPasswordSchema,
  resetPasswordSchema,
  safeRedirect,
  signInSchema,
  signUpSchema,
} from "../../app/accounts/schemas";
import { parseValues } from "../../app/lib/validation";

const first17 = "91330108MA2CFE2X0".replace("X", "1");
const validCode = first17 + creditCodeCheckCharacter(first17);
const wrongCheck = first17 + (creditCodeCheckCharacter(first17) === "0" ? "1" : "0");

const person = { email: "Wang.Li@Example.COM ", password: "Instrument2026", displayName: " 王丽 " };

describe("signUpSchema", () => {
  it("normalises the email and trims the name", () => {
    const parsed = parseValues(signUpSchema, person);
    expect(parsed).toEqual({
      ok: true,
      data: { email: "wang.li@example.com", password: "Instrument2026", displayName: "王丽", organizationName: undefined, creditCode: undefined },
    });
  });

  it("treats empty company fields as no company", () => {
    const parsed = parseValues(signUpSchema, { ...person, organizationName: "", creditCode: "  " });
    expect(parsed.ok && parsed.data.creditCode).toBe(undefined);
  });

  it("accepts a company with a valid credit code, upper-cased and without spaces", () => {
    const spaced = `${validCode.slice(0, 9).toLowerCase()} ${validCode.slice(9)}`;
    const parsed = parseValues(signUpSchema, { ...person, organizationName: "杭州微纳检测有限公司", creditCode: spaced });
    expect(parsed.ok && parsed.data.creditCode).toBe(validCode);
  });

  it("reports a wrong check character at the credit code", () => {
    const parsed = parseValues(signUpSchema, { ...person, organizationName: "某公司", creditCode: wrongCheck });
    expect(parsed).toEqual({ ok: false, errors: { creditCode: "accounts:validation.creditCode" } });
  });

  it("asks for both company fields or neither", () => {
    expect(parseValues(signUpSchema, { ...person, organizationName: "某公司" })).toEqual({
      ok: false,
      errors: { creditCode: "accounts:validation.creditCodeRequired" },
    });
    expect(parseValues(signUpSchema, { ...person, creditCode: validCode })).toEqual({
      ok: false,
      errors: { organizationName: "accounts:validation.organizationNameRequired" },
    });
  });

  it("reports every bad field at once with i18n keys", () => {
    const parsed = parseValues(signUpSchema, { email: "not-an-email", password: "short", displayName: "" });
    expect(parsed).toEqual({
      ok: false,
      errors: {
        email: "validation.email",
        password: "accounts:validation.passwordTooShort",
        displayName: "validation.required",
      },
    });
  });

  it("refuses a password equal to the email", () => {
    const parsed = parseValues(signUpSchema, { ...person, email: "lab2026@example.com", password: "LAB2026@example.com" });
    expect(parsed).toEqual({ ok: false, errors: { password: "accounts:validation.passwordIsEmail" } });
  });

  it("turns missing or non-text fields into field errors, not exceptions", () => {
    expect(parseValues(signUpSchema, {})).toMatchObject({ ok: false, errors: { email: "validation.required" } });
    expect(parseValues(signUpSchema, { ...person, email: ["a@b.cn", "c@d.cn"] })).toMatchObject({
      ok: false,
      errors: { email: "validation.invalid" },
    });
    expect(parseValues(signUpSchema, { ...person, displayName: "x".repeat(61) })).toMatchObject({
      ok: false,
      errors: { displayName: "validation.tooBig" },
    });
  });
});

describe("signInSchema and forgotPasswordSchema", () => {
  it("accept an address and any non-empty password", () => {
    expect(parseValues(signInSchema, { email: "A@B.CN", password: "x" })).toEqual({ ok: true, data: { email: "a@b.cn", password: "x" } });
    expect(parseValues(forgotPasswordSchema, { email: " a@b.cn" })).toEqual({ ok: true, data: { email: "a@b.cn" } });
  });

  it("report empty fields as required", () => {
    expect(parseValues(signInSchema, { email: "", password: "" })).toEqual({
      ok: false,
      errors: { email: "validation.required", password: "validation.required" },
    });
  });
});

describe("resetPasswordSchema", () => {
  const token = "A".repeat(43);

  it("accepts a well-formed token and a good password", () => {
    expect(parseValues(resetPasswordSchema, { token, password: "NewPassword9" }).ok).toBe(true);
  });

  it("refuses malformed tokens with the invalid-link message", () => {
    for (const bad of ["", "short", `${token}A`, "A".repeat(42) + "=", "A".repeat(42) + "/"]) {
      expect(parseValues(resetPasswordSchema, { token: bad, password: "NewPassword9" })).toEqual({
        ok: false,
        errors: { token: "accounts:link.invalid" },
      });
    }
  });

  it("applies the password rules", () => {
    expect(parseValues(resetPasswordSchema, { token, password: "onlyletters" })).toEqual({
      ok: false,
      errors: { password: "accounts:validation.passwordLettersDigits" },
    });
  });
});

describe("safeRedirect", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirect("/instruments?q=NMR")).toBe("/instruments?q=NMR");
    expect(safeRedirect("/")).toBe("/");
  });

  it("falls back for other origins and odd values", () => {
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil.example", "evil", "", "/a b", null, undefined, 42]) {
      expect(safeRedirect(bad)).toBe("/account");
    }
    expect(safeRedirect("//evil.example", "/")).toBe("/");
  });
});
