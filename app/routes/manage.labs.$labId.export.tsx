import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireLabStaff } from "~/accounts/authz.server";
import { downloadResponse, exportFormats, exportInstruments } from "~/catalogue/export.server";

const query = z.object({ format: z.enum(exportFormats).default("xlsx") });

/** The lab's instruments in the import template's layout, ?format=csv|xlsx. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireLabStaff(request, params.labId ?? "");
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return new Response("Unknown format", { status: 400 });
  return downloadResponse(await exportInstruments({ labId: params.labId! }, parsed.data.format));
}
