import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireInstitutionAdmin } from "~/accounts/authz.server";
import { auditFilterSchema } from "~/trust/audit";
import { auditCsv, auditDownload } from "~/trust/audit.server";

/** The institution's audit log, filtered as on its audit page, as CSV. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireInstitutionAdmin(request, params.orgId ?? "");
  const { page: _page, ...filter } = auditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return auditDownload(auditCsv({ ...filter, organizationId: params.orgId! }), "audit-log");
}
