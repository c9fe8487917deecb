import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnyone, notFound } from "~/accounts/authz.server";
import { readPhoto } from "~/catalogue/manage-photos.server";

/**
 * Stored files. Only instrument photos are served (other uploads, such as application letters,
 * are never reachable here); see docs/decisions for who may see which photo.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await allowAnyone(request);
  const photo = await readPhoto(params["*"] ?? "", viewer);
  if (!photo) throw notFound();
  return new Response(photo.body, {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(photo.body.byteLength),
      // Names are random and never reused, so a public photo can be cached for good.
      "Cache-Control": photo.visibility === "public" ? "public, max-age=31536000, immutable" : "private, no-cache",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
