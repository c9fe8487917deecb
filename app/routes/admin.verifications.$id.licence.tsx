import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requirePlatformAdmin } from "~/accounts/authz.server";
import { readLicence } from "~/trust/verifications.server";

/** A verification request's business-licence scan, for the platform admins who decide it; never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  const licence = await readLicence(params.id ?? "");
  if (!licence) throw notFound();
  return new Response(licence.bytes, {
    headers: {
      "Content-Type": licence.contentType,
      "Content-Length": String(licence.bytes.length),
      "Content-Disposition": "inline",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; object-src 'self'",
    },
  });
}
