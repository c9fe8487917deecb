import type { CustomerClass } from "../../db/schema/billing-vocabulary";
import type { OrganizationType } from "../../db/schema/vocabulary";

/**
 * 用户类别 from the customer organisation and the instrument's institution: the same institution
 * is internal; universities, institutes and national centres are academic; companies are SME or
 * enterprise by their SME flag; government bodies pay the enterprise rate (decision 045).
 */
export function customerClassOf(customer: { id: string; type: OrganizationType; isSme: boolean }, providerOrganizationId: string): CustomerClass {
  if (customer.id === providerOrganizationId) return "internal";
  if (customer.type === "university" || customer.type === "institute" || customer.type === "national_centre") return "academic";
  if (customer.type === "enterprise" && customer.isSme) return "sme";
  return "enterprise";
}
