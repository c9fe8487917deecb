import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApplicationLetterReader, notFound } from "~/accounts/authz.server";
import { readLetter } from "~/catalogue/onboarding.server";

/** The application's letter (PDF), for its applicant and platform admins only; never cached. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  await requireApplicationLetterReader(request, id);
  const letter = await readLetter(id);
  if (!letter) throw notFound();
  const name = encodeURIComponent(letter.fileName);
  return new Response(letter.bytes, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(letter.bytes.length),
      "Content-Disposition": `attachment; filename="letter.pdf"; filename*=UTF-8''${name}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
