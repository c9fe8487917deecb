import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireUser } from "~/accounts/authz.server";
import { customerInvite } from "~/booking/calendar-entries.server";

/** /bookings/:id/invite.ics — the customer's own booking as the same invite their emails carry. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireUser(request);
  const invite = await customerInvite(params.id ?? "", viewer.id, new Date());
  if (!invite) throw notFound();
  return new Response(invite.content, {
    headers: {
      "Content-Type": invite.contentType,
      "Content-Disposition": `attachment; filename="${invite.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
