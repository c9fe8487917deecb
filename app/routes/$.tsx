import type { LoaderFunctionArgs } from "@remix-run/node";
import { allowAnyone, notFound } from "~/accounts/authz.server";

/** Any address no other route claims: the translated 404 page from the root error boundary. */
export async function loader({ request }: LoaderFunctionArgs) {
  await allowAnyone(request);
  throw notFound();
}

export default function NotFound() {
  return null;
}
