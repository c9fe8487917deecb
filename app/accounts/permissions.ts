import type { MembershipRole } from "../../db/schema/vocabulary";

/** Who is asking: the signed-in user with their memberships, or null for a visitor. */
export type Viewer = {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  isPlatformAdmin: boolean;
  emailVerified: boolean;
  memberships: { organizationId: string; role: MembershipRole; labId: string | null }[];
} | null;

/**
 * Capabilities as `action:entity:scope`. The same string is checked by the server and used by
 * the UI to show or hide a control.
 */
export type Permission =
  | "view:outbox:platform"
  | "manage:organization:platform"
  | "manage:members:organization"
  | "manage:labs:institution"
  | "manage:instruments:lab"
  | "book:instrument:organization"
  | "view:letter:application"
  | "download:report:booking"
  | "manage:vouchers:platform"
  | "apply:voucher:organization"
  | "decide:voucher:issuer"
  | "view:charges:organization"
  | "manage:finance:institution"
  | "file:complaint:organization"
  | "resolve:complaint:platform";

export type Scope = { organizationId?: string; labId?: string; labOrganizationId?: string; applicantUserId?: string };

function hasRole(viewer: NonNullable<Viewer>, role: MembershipRole, organizationId?: string) {
  return viewer.memberships.some(
    (m) => m.role === role && (organizationId === undefined || m.organizationId === organizationId),
  );
}

/** Members who book and are billed for their organisation. */
const isCustomerMember = (viewer: NonNullable<Viewer>) => viewer.memberships.some((m) => m.role === "customer" || m.role === "org_admin");

/**
 * Why a signed-in user may not book or send samples, so the page can say what to do: join or
 * register a customer organisation first, then verify the address. Null when they may.
 */
export const BOOKING_REFUSALS = ["joinOrganization", "verifyEmail"] as const;
export type BookingRefusal = (typeof BOOKING_REFUSALS)[number];
export function bookingRefusal(viewer: NonNullable<Viewer>): BookingRefusal | null {
  if (!isCustomerMember(viewer)) return "joinOrganization";
  return viewer.emailVerified ? null : "verifyEmail";
}

export function can(viewer: Viewer, permission: Permission, scope: Scope = {}): boolean {
  if (!viewer) return false;
  if (viewer.isPlatformAdmin && permission.endsWith(":platform")) return true;
  switch (permission) {
    case "view:outbox:platform":
    case "manage:organization:platform":
    case "resolve:complaint:platform":
    case "manage:vouchers:platform":
      return false;
    case "manage:members:organization":
      return hasRole(viewer, "org_admin", scope.organizationId) || hasRole(viewer, "institution_admin", scope.organizationId);
    case "manage:labs:institution":
      return hasRole(viewer, "institution_admin", scope.organizationId);
    case "manage:instruments:lab":
      // Lab staff run their own lab; the institution admin runs every lab of the institution.
      return (
        viewer.memberships.some((m) => m.role === "lab_staff" && (scope.labId === undefined || m.labId === scope.labId)) ||
        hasRole(viewer, "institution_admin", scope.labOrganizationId)
      );
    case "book:instrument:organization":
      return bookingRefusal(viewer) === null;
    case "download:report:booking":
      // A sample job's report: any member of the customer organisation, the lab's staff and its institution's admins.
      return (
        (scope.organizationId !== undefined && viewer.memberships.some((m) => m.organizationId === scope.organizationId)) ||
        (scope.labId !== undefined && can(viewer, "manage:instruments:lab", { labId: scope.labId, labOrganizationId: scope.labOrganizationId }))
      );
    case "apply:voucher:organization":
      // A company's vouchers are held by its administrator.
      return hasRole(viewer, "org_admin", scope.organizationId);
    case "decide:voucher:issuer":
      // The issuing government body's administrator decides grants and marks claims reimbursed.
      return hasRole(viewer, "org_admin", scope.organizationId);
    case "view:charges:organization":
      // A customer organisation's charges: its customers and its administrator.
      return viewer.memberships.some((m) => (m.role === "customer" || m.role === "org_admin") && (scope.organizationId === undefined || m.organizationId === scope.organizationId));
    case "file:complaint:organization":
      // A customer organisation's complaints: filed and followed by its customers and its administrator.
      return viewer.memberships.some((m) => (m.role === "customer" || m.role === "org_admin") && (scope.organizationId === undefined || m.organizationId === scope.organizationId));
    case "manage:finance:institution":
      // Payments, refunds, deposits and fapiao of a provider: its institution admins.
      return hasRole(viewer, "institution_admin", scope.organizationId);
    case "view:letter:application":
      // A provider application's letter: its applicant and the platform admins who review it.
      return viewer.isPlatformAdmin || (scope.applicantUserId !== undefined && scope.applicantUserId === viewer.id);
  }
}
