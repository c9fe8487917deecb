import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireSampleReportReader } from "~/accounts/authz.server";
import { readReport } from "~/booking/sample-reports.server";

/**
 * A sample job's report PDF: for the customer organisation once issued, for the lab also before
 * (to check the upload). The name comes from the reference, never from the uploaded file.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const { forLab } = await requireSampleReportReader(request, id);
  const report = await readReport(id, { issuedOnly: !forLab });
  if (!report) throw notFound();
  return new Response(report.bytes, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(report.bytes.length),
      "Content-Disposition": `attachment; filename="${report.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
