import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlatformAdmin } from "~/accounts/authz.server";
import { auditFilterSchema } from "~/trust/audit";
import { auditCsv, auditDownload } from "~/trust/audit.server";

/** The whole audit log, filtered as on /admin/audit, as CSV. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const { page: _page, ...filter } = auditFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return auditDownload(auditCsv(filter), "audit-log");
}
