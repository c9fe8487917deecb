import { allowAnyone } from "~/accounts/authz.server";
import { checkDatabase } from "~/lib/health.server";

export async function loader({ request }: { request: Request }) {
  await allowAnyone(request);
  const started = Date.now();
  try {
    const kind = await checkDatabase();
    return Response.json({ status: "ok", database: kind, ms: Date.now() - started });
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503 });
  }
}
