/** The fixed vocabularies of the domain, free of any database import so the browser can use them. */

export const organizationTypes = [
  "university",
  "institute",
  "national_centre",
  "enterprise",
  "government",
] as const;
export type OrganizationType = (typeof organizationTypes)[number];

export const membershipRoles = ["customer", "org_admin", "lab_staff", "institution_admin"] as const;
export type MembershipRole = (typeof membershipRoles)[number];

export const providerStatuses = ["none", "applied", "accepted", "rejected"] as const;

export const serviceModes = ["self_operated", "staff_operated", "sample_submission", "remote"] as const;
export type ServiceMode = (typeof serviceModes)[number];

export const instrumentStatuses = ["draft", "published", "suspended", "retired"] as const;
export type InstrumentStatus = (typeof instrumentStatuses)[number];

/** 运行状态 as the national platform lists it. */
export const operatingStatuses = [
  "normal",
  "standby",
  "remote_service",
  "occasional_fault",
  "frequent_fault",
  "awaiting_repair",
  "awaiting_disposal",
] as const;

export const shareModes = ["internal", "external"] as const;

/** Provider onboarding: what an applicant says it is, and how its application moves. */
export const providerApplicationTypes = ["university", "institute", "national_centre", "enterprise_lab"] as const;
export type ProviderApplicationType = (typeof providerApplicationTypes)[number];

export const applicationStatuses = ["submitted", "approved", "rejected"] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const applicationEventActions = ["submitted", "approved", "rejected"] as const;
export type ApplicationEventAction = (typeof applicationEventActions)[number];

/** 用户类别: who the customer is relative to the provider; rates and vouchers are set per class. */
export const customerClasses = ["internal", "academic", "enterprise", "sme"] as const;
export type CustomerClass = (typeof customerClasses)[number];
