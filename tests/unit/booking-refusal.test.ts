import { describe, expect, it } from "vitest";
import { bookingRefusal, can, type Viewer } from "../../app/accounts/permissions";
import { refusalOf } from "../../app/components/booking-refusal";

const viewer = (emailVerified: boolean, roles: ("customer" | "org_admin" | "lab_staff")[]): NonNullable<Viewer> => ({
  id: "u1",
  email: "u1@example.com",
  displayName: "U1",
  locale: "zh-CN",
  isPlatformAdmin: false,
  emailVerified,
  memberships: roles.map((role) => ({ organizationId: "o1", role, labId: role === "lab_staff" ? "l1" : null })),
});

describe("why a user may not book", () => {
  it("asks for an organisation first, then a verified address, and agrees with the permission", () => {
    const cases: [NonNullable<Viewer>, ReturnType<typeof bookingRefusal>][] = [
      [viewer(false, []), "joinOrganization"],
      [viewer(true, []), "joinOrganization"],
      [viewer(true, ["lab_staff"]), "joinOrganization"],
      [viewer(false, ["customer"]), "verifyEmail"],
      [viewer(true, ["customer"]), null],
      [viewer(true, ["org_admin"]), null],
    ];
    for (const [v, refusal] of cases) {
      expect(bookingRefusal(v)).toBe(refusal);
      expect(can(v, "book:instrument:organization")).toBe(refusal === null);
    }
  });

  it("reads a refusal only from a refusal's answer", () => {
    expect(refusalOf({ refusal: "verifyEmail" })).toBe("verifyEmail");
    expect(refusalOf({ refusal: "somethingElse" })).toBeNull();
    expect(refusalOf("Forbidden")).toBeNull();
    expect(refusalOf(null)).toBeNull();
  });
});
