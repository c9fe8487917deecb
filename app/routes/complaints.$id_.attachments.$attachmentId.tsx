import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireComplaintReader } from "~/accounts/authz.server";
import { readComplaintAttachment } from "~/trust/complaints.server";

/** Evidence filed with a complaint, for those who may read the complaint; always a download. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  await requireComplaintReader(request, id);
  const file = await readComplaintAttachment(id, params.attachmentId ?? "");
  if (!file) throw notFound();
  return new Response(file.bytes, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.bytes.length),
      "Content-Disposition": `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
