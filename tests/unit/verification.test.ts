import { describe, expect, it } from "vitest";
import { creditCodeCheckCharacter } from "../../app/accounts/credit-code";
import { parseValues } from "../../app/lib/validation";
import {
  licenceProblem,
  licenceType,
  refusesFirstBooking,
  verificationDecisionSchema,
  verificationFormSchema,
  verificationSettingsFrom,
} from "../../app/trust/verification";

const code17 = "91330106MA2B3C4D5";
const valid = code17 + creditCodeCheckCharacter(code17);
const wrong = code17 + (creditCodeCheckCharacter(code17) === "0" ? "1" : "0");

describe("verification request", () => {
  it("takes a credit code with spaces and lower case, and refuses a wrong check character", () => {
    expect(parseValues(verificationFormSchema, { creditCode: ` ${valid.toLowerCase().slice(0, 9)} ${valid.slice(9)} ` })).toEqual({ ok: true, data: { creditCode: valid } });
    expect(parseValues(verificationFormSchema, { creditCode: wrong })).toEqual({ ok: false, errors: { creditCode: "onboarding:validation.creditCode" } });
  });

  it("judges the licence scan by its bytes: PDF, PNG and JPEG only, at most 10 MB", () => {
    const bytes = (...head: number[]) => Uint8Array.from([...head, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(licenceType(bytes(0x25, 0x50, 0x44, 0x46, 0x2d))).toBe("application/pdf");
    expect(licenceType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe("image/png");
    expect(licenceType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(licenceType(new TextEncoder().encode("<svg onload=alert(1)>"))).toBeNull();
    expect(licenceProblem(0, null)).toBe("verification:validation.licenceRequired");
    expect(licenceProblem(11 * 1024 * 1024, null)).toBe("verification:validation.licenceRequired");
    expect(licenceProblem(11 * 1024 * 1024, bytes(0xff, 0xd8, 0xff))).toBe("verification:validation.licenceTooBig");
    expect(licenceProblem(20, new TextEncoder().encode("GIF89a................"))).toBe("verification:validation.licenceType");
  });

  it("a rejection needs a reason", () => {
    expect(parseValues(verificationDecisionSchema, { decision: "reject", reason: " " })).toEqual({ ok: false, errors: { reason: "verification:validation.reasonRequired" } });
    expect(parseValues(verificationDecisionSchema, { decision: "verify" })).toEqual({ ok: true, data: { decision: "verify", reason: "" } });
  });
});

describe("the first-booking rule", () => {
  it("refuses only an unverified organisation's first booking, and only when the setting is on", () => {
    const on = { requireBeforeFirstBooking: true };
    expect(refusesFirstBooking({ settings: on, verifiedAt: null, booked: false })).toBe(true);
    expect(refusesFirstBooking({ settings: on, verifiedAt: null, booked: true })).toBe(false);
    expect(refusesFirstBooking({ settings: on, verifiedAt: "2026-11-02T08:00:00+08:00", booked: false })).toBe(false);
    // No setting stored yet, or an organisation that does not exist: the rule is off for them.
    expect(refusesFirstBooking({ settings: null, verifiedAt: null, booked: false })).toBe(false);
    expect(refusesFirstBooking(null)).toBe(false);
    expect(verificationSettingsFrom({ requireBeforeFirstBooking: "garbage" })).toEqual({ requireBeforeFirstBooking: false });
  });
});
