import { describe, expect, it } from "vitest";
import { can } from "../../app/accounts/permissions";
import {
  applicationSchema,
  decide,
  decisionSchema,
  invitationProblem,
  invitationSchema,
  isTimeZone,
  labSchema,
  LETTER_MAX_BYTES,
  letterProblem,
  organizationTypeOf,
  slugOf,
} from "../../app/catalogue/onboarding";
import { parseValues } from "../../app/lib/validation";
import { makeCreditCode } from "../../db/seed/data";

const code = makeCreditCode("12", "330000", 47000001);
const valid = {
  nameZh: "西湖大学",
  nameEn: "Westlake University",
  type: "university",
  creditCode: code,
  regionCode: "330106",
  address: "杭州市西湖区墨苑路 18 号",
  contactName: "张老师",
  contactPhone: "0571-8888 6666",
  contactEmail: "Sharing@Westlake.edu.cn",
};
function pdf(extra = 100) {
  const head = new TextEncoder().encode("%PDF-1.4\n");
  const bytes = new Uint8Array(head.length + extra);
  bytes.set(head);
  return bytes;
}

describe("the application form", () => {
  it("accepts a complete application and normalises code and email", () => {
    const spaced = `${code.slice(0, 6)} ${code.slice(6, 12).toLowerCase()}-${code.slice(12)}`;
    const result = parseValues(applicationSchema, { ...valid, creditCode: spaced });
    expect(result).toEqual({ ok: true, data: { ...valid, creditCode: code, contactEmail: "sharing@westlake.edu.cn" } });
  });

  it("refuses a credit code whose check character is wrong", () => {
    const wrong = code.slice(0, 17) + (code[17] === "0" ? "1" : "0");
    expect(parseValues(applicationSchema, { ...valid, creditCode: wrong })).toEqual({
      ok: false,
      errors: { creditCode: "onboarding:validation.creditCode" },
    });
  });

  it("refuses region codes that are not six digits or name no province", () => {
    expect(parseValues(applicationSchema, { ...valid, regionCode: "3301" })).toMatchObject({ errors: { regionCode: "onboarding:validation.regionCode" } });
    expect(parseValues(applicationSchema, { ...valid, regionCode: "990100" })).toMatchObject({ errors: { regionCode: "onboarding:validation.regionUnknown" } });
  });

  it("names every missing field and an unknown type", () => {
    const result = parseValues(applicationSchema, { type: "hospital" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.type).toBe("validation.choice");
    for (const field of ["nameZh", "nameEn", "creditCode", "regionCode", "address", "contactName", "contactPhone", "contactEmail"]) {
      expect(result.errors[field], field).toBe("validation.required");
    }
  });

  it("refuses a phone number made of letters", () => {
    expect(parseValues(applicationSchema, { ...valid, contactPhone: "call me" })).toMatchObject({ errors: { contactPhone: "onboarding:validation.phone" } });
  });

  it("maps an enterprise lab to an enterprise organisation and the rest to themselves", () => {
    expect(organizationTypeOf).toEqual({ university: "university", institute: "institute", national_centre: "national_centre", enterprise_lab: "enterprise" });
  });
});

describe("the letter check", () => {
  it("accepts a PDF by its first bytes", () => {
    expect(letterProblem(pdf())).toBeNull();
  });
  it("refuses a missing or empty file", () => {
    expect(letterProblem(null)).toBe("onboarding:validation.letterRequired");
    expect(letterProblem(new Uint8Array())).toBe("onboarding:validation.letterRequired");
  });
  it("refuses a PNG or a text file named .pdf, and a PDF header not at the start", () => {
    expect(letterProblem(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe("onboarding:validation.letterNotPdf");
    expect(letterProblem(new TextEncoder().encode("hello %PDF-1.4"))).toBe("onboarding:validation.letterNotPdf");
    expect(letterProblem(new TextEncoder().encode("%PDF"))).toBe("onboarding:validation.letterNotPdf");
  });
  it("refuses a PDF larger than 10 MB and accepts one of exactly 10 MB", () => {
    expect(letterProblem(pdf(LETTER_MAX_BYTES))).toBe("onboarding:validation.letterTooBig");
    expect(letterProblem(pdf(LETTER_MAX_BYTES - 9))).toBeNull();
  });
});

describe("deciding an application", () => {
  it("moves a submitted application to approved or rejected", () => {
    expect(decide("submitted", "approve")).toEqual({ ok: true, status: "approved" });
    expect(decide("submitted", "reject")).toEqual({ ok: true, status: "rejected" });
  });
  it("refuses a second decision either way", () => {
    for (const status of ["approved", "rejected"] as const) {
      for (const decision of ["approve", "reject"] as const) {
        expect(decide(status, decision)).toEqual({ ok: false, error: "onboarding:errors.alreadyDecided" });
      }
    }
  });
  it("needs a reason to reject but not to approve", () => {
    expect(parseValues(decisionSchema, { decision: "reject", reason: "   " })).toEqual({ ok: false, errors: { reason: "onboarding:validation.reasonRequired" } });
    expect(parseValues(decisionSchema, { decision: "reject", reason: " 授权函未盖章 " })).toEqual({ ok: true, data: { decision: "reject", reason: "授权函未盖章" } });
    expect(parseValues(decisionSchema, { decision: "approve", reason: "" })).toEqual({ ok: true, data: { decision: "approve", reason: undefined } });
    expect(parseValues(decisionSchema, { decision: "maybe" })).toMatchObject({ ok: false, errors: { decision: "validation.choice" } });
  });
});

describe("labs", () => {
  it("knows IANA zones and refuses made-up or malformed ones", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("Asia/Shanghai; drop table labs")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
  it("defaults the time zone to Asia/Shanghai and drops empty optional fields", () => {
    const result = parseValues(labSchema, { nameZh: "分析测试中心", nameEn: "Analysis Centre", timeZone: "", address: "", contactEmail: "" });
    expect(result).toEqual({
      ok: true,
      data: { nameZh: "分析测试中心", nameEn: "Analysis Centre", timeZone: "Asia/Shanghai", address: undefined, contactName: undefined, contactPhone: undefined, contactEmail: undefined },
    });
  });
  it("refuses an unknown zone, a bad email and a bad phone at their fields", () => {
    const result = parseValues(labSchema, { nameZh: "甲", nameEn: "A", timeZone: "Asia/Beijing", contactEmail: "x@", contactPhone: "abc" });
    expect(result).toEqual({
      ok: false,
      errors: { timeZone: "onboarding:validation.timeZone", contactEmail: "validation.email", contactPhone: "onboarding:validation.phone" },
    });
  });
  it("makes readable slugs and falls back to the suffix for names without Latin letters", () => {
    expect(slugOf("Analysis & Testing Centre", "3f9a01")).toBe("analysis-testing-centre-3f9a01");
    expect(slugOf("分析测试中心", "3f9a01")).toBe("3f9a01");
  });
});

describe("invitations", () => {
  const now = new Date("2026-03-01T08:00:00Z");
  it("is valid until it expires and then not, and once used never again", () => {
    const open = { acceptedAt: null, withdrawnAt: null, expiresAt: new Date("2026-03-08T08:00:00Z") };
    expect(invitationProblem(open, now)).toBeNull();
    expect(invitationProblem({ ...open, expiresAt: now }, now)).toBe("onboarding:invitation.expired");
    expect(invitationProblem({ ...open, acceptedAt: new Date("2026-02-28T00:00:00Z") }, now)).toBe("onboarding:invitation.used");
    // Withdrawn says so, even once the week it had would be over.
    expect(invitationProblem({ ...open, withdrawnAt: new Date("2026-03-01T09:00:00Z") }, now)).toBe("onboarding:invitation.withdrawn");
    expect(invitationProblem({ ...open, withdrawnAt: new Date("2026-03-01T09:00:00Z"), expiresAt: now }, now)).toBe("onboarding:invitation.withdrawn");
    expect(invitationProblem(null, now)).toBe("onboarding:invitation.invalid");
  });
  it("lower-cases the invited address", () => {
    expect(parseValues(invitationSchema, { email: " Li.Lei@ZJU.edu.cn " })).toEqual({ ok: true, data: { email: "li.lei@zju.edu.cn" } });
  });
});

describe("who may read an application's letter", () => {
  const base = { email: "a@example.com", displayName: "A", locale: "zh-CN", emailVerified: true, memberships: [] };
  it("is the applicant and platform admins, nobody else", () => {
    const applicant = { ...base, id: "u1", isPlatformAdmin: false };
    const other = { ...base, id: "u2", isPlatformAdmin: false };
    const admin = { ...base, id: "u3", isPlatformAdmin: true };
    expect(can(applicant, "view:letter:application", { applicantUserId: "u1" })).toBe(true);
    expect(can(other, "view:letter:application", { applicantUserId: "u1" })).toBe(false);
    expect(can(other, "view:letter:application")).toBe(false);
    expect(can(admin, "view:letter:application", { applicantUserId: "u1" })).toBe(true);
    expect(can(null, "view:letter:application", { applicantUserId: "u1" })).toBe(false);
  });
});
