import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireInstitutionAdmin } from "~/accounts/authz.server";
import { downloadResponse, exportNational, exportInstruments, institutionExportFormats } from "~/catalogue/export.server";

const query = z.object({ format: z.enum(institutionExportFormats).default("xlsx") });

/**
 * All instruments of the institution's labs: ?format=csv|xlsx in the import template's layout,
 * national-xlsx|national-json in the national sharing platform's layout.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const organizationId = params.orgId ?? "";
  await requireInstitutionAdmin(request, organizationId);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response("Unknown format", { status: 400 });
  const format = parsed.data.format;
  const file =
    format === "national-xlsx" || format === "national-json"
      ? await exportNational(organizationId, format === "national-xlsx" ? "xlsx" : "json")
      : await exportInstruments({ organizationId }, format);
  return downloadResponse(file);
}
