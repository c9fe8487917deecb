import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { readCertificate } from "~/trust/accreditations.server";

/** An accreditation's certificate: a public document, served as a download that cannot run in the page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await allowAnyone(request);
  const certificate = await readCertificate(params.id ?? "");
  if (!certificate) throw notFound();
  const name = encodeURIComponent(certificate.fileName);
  return new Response(certificate.bytes, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(certificate.bytes.length),
      "Content-Disposition": `attachment; filename="certificate.pdf"; filename*=UTF-8''${name}`,
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
