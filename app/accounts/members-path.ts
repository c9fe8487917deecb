/** Where an org admin manages the organisation's members. */
export const membersPath = (organizationId: string) => `/organizations/${organizationId}/members`;
