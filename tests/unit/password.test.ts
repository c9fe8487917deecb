import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from "../../app/accounts/password";

describe("passwordProblem", () => {
  it("accepts ten or more characters with letters and digits", () => {
    expect(passwordProblem("abcdefghi1")).toBeNull();
    expect(passwordProblem("OpenLab-demo-2026")).toBeNull();
    expect(passwordProblem("实验室仪器共享平台2026")).toBeNull();
  });

  it("refuses fewer than ten characters", () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(passwordProblem("abcdefgh1")).toBe("accounts:validation.passwordTooShort");
    expect(passwordProblem("")).toBe("accounts:validation.passwordTooShort");
  });

  it("refuses more than the maximum length", () => {
    expect(passwordProblem("a1".repeat(PASSWORD_MAX_LENGTH / 2))).toBeNull();
    expect(passwordProblem("a1".repeat(PASSWORD_MAX_LENGTH / 2) + "x")).toBe("accounts:validation.passwordTooLong");
  });

  it("needs both letters and digits", () => {
    expect(passwordProblem("abcdefghijkl")).toBe("accounts:validation.passwordLettersDigits");
    expect(passwordProblem("123456789012")).toBe("accounts:validation.passwordLettersDigits");
    expect(passwordProblem("!!!!!!!!!!!!1")).toBe("accounts:validation.passwordLettersDigits");
  });

  it("refuses the email address itself, ignoring case and spaces", () => {
    expect(passwordProblem("lab2026@example.com", "lab2026@example.com")).toBe("accounts:validation.passwordIsEmail");
    expect(passwordProblem(" LAB2026@Example.com ", "lab2026@example.com")).toBe("accounts:validation.passwordIsEmail");
    expect(passwordProblem("lab2026@example.com!", "lab2026@example.com")).toBeNull();
  });

  it("reports length before character classes", () => {
    expect(passwordProblem("abc")).toBe("accounts:validation.passwordTooShort");
  });
});
